using Ledger.Domain.Common;

namespace Ledger.Domain.Inspections;

/// <summary>督查类型 (Art. 8).</summary>
public enum InspectionKind
{
    /// <summary>综合督查: every town and unit, at least once a year.</summary>
    [Label("综合督查")] Comprehensive,
    /// <summary>专项督查: a key topic, whenever needed.</summary>
    [Label("专项督查")] Special,
}

/// <summary>督查内容 (Art. 9): the eight content areas; the number is the article's item.</summary>
public enum ContentArea
{
    /// <summary>脱贫攻坚责任落实情况</summary>
    [Label("责任落实")] Responsibility = 1,
    /// <summary>专项规划和重大政策措施落实情况</summary>
    [Label("专项规划和重大政策措施")] PlansAndPolicies = 2,
    /// <summary>减贫任务完成情况</summary>
    [Label("减贫任务")] PovertyReduction = 3,
    /// <summary>精准识别、精准退出情况</summary>
    [Label("精准识别、精准退出")] IdentificationAndExit = 4,
    /// <summary>对口帮扶、定点扶贫情况</summary>
    [Label("对口帮扶、定点扶贫")] PairedAssistance = 5,
    /// <summary>行业扶贫、专项扶贫、重点扶贫项目实施、财政涉农资金整合情况</summary>
    [Label("行业扶贫、专项扶贫、重点项目、涉农资金整合")] SectorProjects = 6,
    /// <summary>财政扶贫资金筹集使用情况</summary>
    [Label("财政扶贫资金")] FiscalFunds = 7,
    /// <summary>扶贫开发队伍建设情况</summary>
    [Label("队伍建设")] TeamBuilding = 8,
}

/// <summary>督查方式 (Art. 4): how a finding was obtained.</summary>
public enum InspectionMethod
{
    /// <summary>召开座谈会</summary>
    [Label("座谈会")] Symposium,
    /// <summary>查阅资料</summary>
    [Label("查阅资料")] DocumentReview,
    /// <summary>电话询问</summary>
    [Label("电话询问")] PhoneInquiry,
    /// <summary>实地调查</summary>
    [Label("实地调查")] FieldInvestigation,
    /// <summary>问卷调查</summary>
    [Label("问卷调查")] Questionnaire,
    /// <summary>个别访谈</summary>
    [Label("个别访谈")] IndividualInterview,
    /// <summary>听取汇报</summary>
    [Label("听取汇报")] HearingReport,
    /// <summary>受理群众举报</summary>
    [Label("群众举报")] PublicReport,
    /// <summary>随机访或者暗访</summary>
    [Label("随机访/暗访")] UnannouncedVisit,
    /// <summary>运用第三方评估成果</summary>
    [Label("第三方评估")] ThirdPartyEvaluation,
}

/// <summary>问题严重程度.</summary>
public enum Severity
{
    /// <summary>一般</summary>
    [Label("一般")] Minor,
    /// <summary>较重</summary>
    [Label("较重")] Serious,
    /// <summary>严重</summary>
    [Label("严重")] Grave,
}

/// <summary>督查进度: planned → team formed → in the field → report submitted → closed.</summary>
public enum InspectionStatus
{
    /// <summary>已制定方案</summary>
    [Label("已制定方案")] Planned,
    /// <summary>已组建督查组</summary>
    [Label("已组建督查组")] TeamFormed,
    /// <summary>实地督查中</summary>
    [Label("实地督查中")] InField,
    /// <summary>已提交报告</summary>
    [Label("已提交报告")] ReportSubmitted,
    /// <summary>已结束</summary>
    [Label("已结束")] Closed,
}

/// <summary>证据类别.</summary>
public enum EvidenceKind
{
    /// <summary>文件资料</summary>
    [Label("文件资料")] Document,
    /// <summary>照片</summary>
    [Label("照片")] Photo,
    /// <summary>录音</summary>
    [Label("录音")] Audio,
    /// <summary>视频</summary>
    [Label("视频")] Video,
    /// <summary>笔录</summary>
    [Label("笔录")] Transcript,
    /// <summary>其他</summary>
    [Label("其他")] Other,
}

/// <summary>资金来源层级.</summary>
public enum FundSourceLevel
{
    /// <summary>中央</summary>
    [Label("中央")] Central,
    /// <summary>省级</summary>
    [Label("省级")] Provincial,
    /// <summary>市级</summary>
    [Label("市级")] City,
    /// <summary>县级</summary>
    [Label("县级")] County,
}

/// <summary>资金问题 (Art. 9 item 7).</summary>
public enum FundIrregularity
{
    /// <summary>资金闲置 (with the months idle)</summary>
    [Label("资金闲置")] Idle,
    /// <summary>挪用</summary>
    [Label("挪用")] Diverted,
    /// <summary>骗取</summary>
    [Label("骗取")] Fraud,
    /// <summary>存入个人账户</summary>
    [Label("存入个人账户")] PersonalAccount,
    /// <summary>项目未公开公示</summary>
    [Label("项目未公示")] NotDisclosed,
}

/// <summary>案件类别: what kind of record a case stream holds.</summary>
public enum CaseKind
{
    /// <summary>督查发现的问题</summary>
    [Label("督查发现")] Finding,
    /// <summary>资金检查</summary>
    [Label("资金检查")] FundingCheck,
    /// <summary>识别退出复核</summary>
    [Label("识别退出复核")] IdentificationReview,
}

/// <summary>案件状态.</summary>
public enum CaseStatus
{
    /// <summary>有效</summary>
    [Label("有效")] Open,
    /// <summary>已撤回</summary>
    [Label("已撤回")] Withdrawn,
}

/// <summary>
/// A piece of evidence: its title, kind and, when a file exists, the SHA-256 of the file uploaded to
/// <c>POST /api/evidence</c>, with the size and type (sniffed from the bytes) the store holds for it —
/// filled in by the server at write time, whatever the caller sent. Events recorded before files were
/// kept carry no size or type (null). For a photo whose EXIF says when and where it was taken, the
/// camera's local time and the GPS position (WGS-84 degrees) are kept too — a sign that the visit
/// happened where the record says.
/// </summary>
public sealed record Evidence(string Title, EvidenceKind Kind, string? Sha256, long? Size = null, string? MediaType = null,
    DateTime? TakenAt = null, double? Latitude = null, double? Longitude = null)
{
    public string KindLabel => Codes.LabelOf(Kind);
}

/// <summary>One item of the responsibility list (督查责任清单) and who owns it.</summary>
public sealed record Responsibility(string Item, string Owner);

/// <summary>A member of an inspection team: the login user, the name, and the unit or town they come from.</summary>
public sealed record TeamMember(string User, string Name, string? UnitCode, string? TownCode);
