using Ledger.Domain.Common;

namespace Ledger.Domain.Identification;

/// <summary>What a decision is about.</summary>
public enum DecisionSubject
{
    /// <summary>贫困户</summary>
    [Label("贫困户")] Household,
    /// <summary>相对贫困村</summary>
    [Label("相对贫困村")] Village,
}

/// <summary>识别 (entry) or 退出 (exit).</summary>
public enum DecisionKind
{
    /// <summary>精准识别</summary>
    [Label("识别")] Entry,
    /// <summary>精准退出</summary>
    [Label("退出")] Exit,
}

/// <summary>程序步骤: each is its own dated event. Which steps a decision needs, in which order, is in <see cref="Procedures"/>.</summary>
public enum DecisionStep
{
    /// <summary>申请 (village: 推荐/申报)</summary>
    [Label("申请")] Application,
    /// <summary>民主评议 (attendance of village representatives recorded)</summary>
    [Label("民主评议")] DemocraticReview,
    /// <summary>村委会和驻村工作队核实</summary>
    [Label("村委会和工作队核实")] Verification,
    /// <summary>贫困户认可</summary>
    [Label("贫困户认可")] HouseholdConsent,
    /// <summary>村委会公示 (first notice)</summary>
    [Label("村公示")] VillageNotice,
    /// <summary>镇审核</summary>
    [Label("镇审核")] TownReview,
    /// <summary>镇公示 (second notice)</summary>
    [Label("镇公示（第二次公示）")] SecondNotice,
    /// <summary>县审批并公告</summary>
    [Label("县审批公告")] CountyApproval,
    /// <summary>录入建档立卡系统</summary>
    [Label("录入系统")] RegistryEntry,
    /// <summary>从建档立卡系统销号</summary>
    [Label("销号")] RegistryRemoval,
}

/// <summary>决定进度.</summary>
public enum DecisionState
{
    /// <summary>办理中</summary>
    [Label("办理中")] InProgress,
    /// <summary>已完成</summary>
    [Label("已完成")] Completed,
}

/// <summary>贫困户状态.</summary>
public enum HouseholdStatus
{
    /// <summary>未建档立卡</summary>
    [Label("未建档立卡")] NotEnrolled,
    /// <summary>已建档立卡</summary>
    [Label("已建档立卡")] Enrolled,
    /// <summary>已退出</summary>
    [Label("已退出")] Exited,
}

/// <summary>督查复核结论 (三率一度).</summary>
public enum ReviewVerdict
{
    /// <summary>准确</summary>
    [Label("准确")] Correct,
    /// <summary>错评</summary>
    [Label("错评")] WronglyEnrolled,
    /// <summary>漏评</summary>
    [Label("漏评")] Missed,
    /// <summary>错退</summary>
    [Label("错退")] WronglyExited,
    /// <summary>程序违规</summary>
    [Label("程序违规")] ProcedureViolated,
}

/// <summary>三保障: schooling, basic medical care, safe housing — each secured or not.</summary>
public sealed record ThreeGuarantees(bool Schooling, bool Medical, bool Housing)
{
    public bool AllSecured => Schooling && Medical && Housing;
}

/// <summary>
/// The figures a decision is checked against, as they stood when it was opened; for a household,
/// also whether it has capacity to work and is covered by 兜底保障 (null: not recorded, read as able to work),
/// and the exit income line in force for the county and year with its source (null on decisions opened
/// before it was recorded: the line of <see cref="Standards.HouseholdExitLines"/>).
/// </summary>
public sealed record DecisionBasis(
    decimal? PerCapitaIncome, ThreeGuarantees? Guarantees, int? RegisteredResidents, int? PoorPeople,
    bool? CapacityToWork = null, bool? SafetyNet = null, CountySetting? ExitLine = null);

/// <summary>
/// A number the plan does not give, as it stands for a county and year, with where it comes from
/// (the document that set it, or the ledger's default and its source).
/// </summary>
public sealed record CountySetting(string Name, decimal Value, string Source);

/// <summary>A problem the ledger sees on a decision: a machine code and the reason in words.</summary>
public sealed record DecisionProblem(string Code, string Reason);
