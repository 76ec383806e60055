using Ledger.Domain.Common;
using Ledger.Domain.Inspections;

namespace Ledger.Projections.Inspections;

/// <summary>
/// The read model of an inspection, as <c>GET /api/inspections</c> shows it: the plan, the team, the
/// report and the notifications, with labels. Built from the inspection's events (inline); the write
/// model is the smaller <see cref="Inspection"/>.
/// </summary>
public sealed record InspectionView(
    Guid Id, InspectionKind Kind, string? Topic, int Year,
    IReadOnlyList<string> TownCodes, IReadOnlyList<string> UnitCodes, IReadOnlyList<ContentArea> ContentAreas,
    IReadOnlyList<Responsibility> Responsibilities, IReadOnlyList<string> TaskRequirements,
    DateOnly PlannedStart, DateOnly PlannedEnd, bool CrossInspection, string? InspectingTownCode, DateOnly PlannedOn,
    InspectionStatus Status, TeamMember? Leader, IReadOnlyList<TeamMember> Members, DateOnly? FieldworkStartedOn,
    InspectionReportSubmitted? Report = null, IReadOnlyList<InspectionResultsNotified>? Notifications = null, bool Unannounced = false, string? PlannedBy = null) : IInspectionScope
{
    IEnumerable<(string? Town, string? Unit)> IInspectionScope.NotifiedRecipients =>
        (Notifications ?? []).Select(n => (n.TownCode, n.UnitCode));

    public long Version { get; set; }

    public string KindLabel => Codes.LabelOf(Kind);
    public string StatusLabel => Codes.LabelOf(Status);
    public IReadOnlyList<CodeLabel> ContentAreaLabels => ContentAreas.Select(Codes.Describe).ToList();

    public static InspectionView Create(InspectionPlanned e) => new(
        e.InspectionId, e.Kind, e.Topic, e.Year, e.TownCodes, e.UnitCodes, e.ContentAreas, e.Responsibilities,
        e.TaskRequirements, e.PlannedStart, e.PlannedEnd, e.CrossInspection, e.InspectingTownCode, e.PlannedOn,
        InspectionStatus.Planned, null, [], null, Unannounced: e.Unannounced, PlannedBy: e.PlannedBy);

    public InspectionView Apply(InspectionTeamFormed e) =>
        this with { Status = InspectionStatus.TeamFormed, Leader = e.Leader, Members = e.Members };

    public InspectionView Apply(InspectionFieldworkStarted e) =>
        this with { Status = InspectionStatus.InField, FieldworkStartedOn = e.StartedOn };

    public InspectionView Apply(InspectionReportSubmitted e) =>
        this with { Status = InspectionStatus.ReportSubmitted, Report = e };

    public InspectionView Apply(InspectionResultsNotified e) =>
        this with { Status = InspectionStatus.Closed, Notifications = [.. Notifications ?? [], e] };

    /// <summary>Is this login user the leader or a member of the team?</summary>
    public bool IsOnTeam(string user) => TeamRules.IsOnTeam(this, user);
}
