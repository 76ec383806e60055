using Ledger.Domain.Common;

namespace Ledger.Domain.Inspections;

// The inspection stream (one per inspection, id chosen when planned): plan, team, field work.

/// <summary>
/// 制定督查方案: an inspection planned by either office (Art. 10.1: 县委督查室 or 县扶贫办, <c>PlannedBy</c>
/// its role), possibly as unannounced (暗访/随机访, Art. 4), which the inspected see only once notified.
/// Events recorded before these fields read as announced, planned by the inspection office.
/// </summary>
[Label("制定督查方案")]
public sealed record InspectionPlanned(
    Guid InspectionId, InspectionKind Kind, string? Topic, int Year,
    IReadOnlyList<string> TownCodes, IReadOnlyList<string> UnitCodes, IReadOnlyList<ContentArea> ContentAreas,
    IReadOnlyList<Responsibility> Responsibilities, IReadOnlyList<string> TaskRequirements,
    DateOnly PlannedStart, DateOnly PlannedEnd, bool CrossInspection, string? InspectingTownCode, DateOnly PlannedOn,
    bool Unannounced = false, string? PlannedBy = null);

/// <summary>组建督查组: the team, its accountable leader (组长负责制) and members; a later one replaces it before field work.</summary>
[Label("组建督查组")]
public sealed record InspectionTeamFormed(Guid InspectionId, int Year, TeamMember Leader, IReadOnlyList<TeamMember> Members, DateOnly FormedOn);

/// <summary>开始实地督查: the team is in the field; records are accepted from now on. Carries the scope, for the coverage views.</summary>
[Label("开始实地督查")]
public sealed record InspectionFieldworkStarted(
    Guid InspectionId, int Year, InspectionKind Kind, IReadOnlyList<string> TownCodes, IReadOnlyList<string> UnitCodes, DateOnly StartedOn);

/// <summary>One problem a report names: the case and how the report sums it up.</summary>
public sealed record ReportProblem(Guid CaseId, string Summary);

/// <summary>
/// 情况报告: the team leader's written report — situation, problems, opinions and suggestions (Art. 10.3),
/// with the practices and results (主要做法和成效, <c>Achievements</c>) and the date the leader gives the
/// report (<c>ReportedOn</c>, its 成文日期; reports recorded before these fields are dated by <c>SubmittedOn</c>).
/// </summary>
[Label("提交督查报告")]
public sealed record InspectionReportSubmitted(
    Guid InspectionId, int Year, string Situation, IReadOnlyList<ReportProblem> Problems, string Opinions, string Suggestions,
    string SubmittedBy, DateOnly SubmittedOn, DateOnly? ReportedOn = null, string? Achievements = null);

/// <summary>
/// 通报督查结果: results notified to one inspected town or unit, with its commendations (通报表扬,
/// each a reason) and the cases it must rectify (the requirements themselves are on the cases).
/// The first notification closes the inspection. Issued by either office (<c>IssuedBy</c>, the user;
/// <c>IssuingOffice</c>, its role) on behalf of the leading group (<c>OnBehalfOf</c>, Art. 6, 11–12);
/// events recorded before these fields name no issuer.
/// </summary>
[Label("通报督查结果")]
public sealed record InspectionResultsNotified(
    Guid InspectionId, int Year, string? TownCode, string? UnitCode, string Summary,
    IReadOnlyList<string> Commendations, IReadOnlyList<Guid> RequirementCaseIds, DateOnly NotifiedOn,
    string? IssuedBy = null, string? IssuingOffice = null, string? OnBehalfOf = null);

/// <summary>Who issues notifications, commendations and requirements in whose name.</summary>
public static class Issuing
{
    /// <summary>县脱贫攻坚领导小组: notifications, commendations (通报表扬) and requirements are issued on its behalf.</summary>
    public const string LeadingGroup = "县脱贫攻坚领导小组";
}
