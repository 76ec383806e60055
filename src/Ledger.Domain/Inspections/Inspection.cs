using Ledger.Domain.Common;
using Ledger.Domain.Registry;

namespace Ledger.Domain.Inspections;

/// <summary>
/// The write model of an inspection, evolved from its stream (and kept as an inline snapshot,
/// which the read side also serves). Never mutated: each event gives a new value.
/// </summary>
public sealed record Inspection(
    Guid Id, InspectionKind Kind, string? Topic, int Year,
    IReadOnlyList<string> TownCodes, IReadOnlyList<string> UnitCodes, IReadOnlyList<ContentArea> ContentAreas,
    IReadOnlyList<Responsibility> Responsibilities, IReadOnlyList<string> TaskRequirements,
    DateOnly PlannedStart, DateOnly PlannedEnd, bool CrossInspection, string? InspectingTownCode, DateOnly PlannedOn,
    InspectionStatus Status, TeamMember? Leader, IReadOnlyList<TeamMember> Members, DateOnly? FieldworkStartedOn,
    InspectionReportSubmitted? Report = null, IReadOnlyList<InspectionResultsNotified>? Notifications = null)
{
    public long Version { get; set; }

    public string KindLabel => Codes.LabelOf(Kind);
    public string StatusLabel => Codes.LabelOf(Status);
    public IReadOnlyList<CodeLabel> ContentAreaLabels => ContentAreas.Select(Codes.Describe).ToList();

    public static Inspection Create(InspectionPlanned e) => new(
        e.InspectionId, e.Kind, e.Topic, e.Year, e.TownCodes, e.UnitCodes, e.ContentAreas, e.Responsibilities,
        e.TaskRequirements, e.PlannedStart, e.PlannedEnd, e.CrossInspection, e.InspectingTownCode, e.PlannedOn,
        InspectionStatus.Planned, null, [], null);

    public Inspection Apply(InspectionTeamFormed e) =>
        this with { Status = InspectionStatus.TeamFormed, Leader = e.Leader, Members = e.Members };

    public Inspection Apply(InspectionFieldworkStarted e) =>
        this with { Status = InspectionStatus.InField, FieldworkStartedOn = e.StartedOn };

    public Inspection Apply(InspectionReportSubmitted e) =>
        this with { Status = InspectionStatus.ReportSubmitted, Report = e };

    public Inspection Apply(InspectionResultsNotified e) =>
        this with { Status = InspectionStatus.Closed, Notifications = [.. Notifications ?? [], e] };

    /// <summary>Is this login user the leader or a member of the team?</summary>
    public bool IsOnTeam(string user) =>
        Leader?.User == user || Members.Any(m => m.User == user);

    public bool IsLeader(string user) => Leader?.User == user;

    /// <summary>
    /// Does a target lie within this inspection's scope? A town or unit must be one it covers; a
    /// village must lie in a covered town or be paired with a covered unit.
    /// </summary>
    public IEnumerable<string> OutOfScope(string? townCode, string? unitCode, string? villageCode, RegistryState registry)
    {
        if (townCode is not null && !TownCodes.Contains(townCode))
            yield return $"town {townCode} is not covered by this inspection";
        if (unitCode is not null && !UnitCodes.Contains(unitCode))
            yield return $"unit {unitCode} is not covered by this inspection";
        if (villageCode is not null && registry.Villages.TryGetValue(villageCode, out var village)
            && !TownCodes.Contains(village.TownCode) && !village.Pairings.Keys.Any(UnitCodes.Contains))
            yield return $"village {villageCode} lies neither in a covered town nor with a covered unit";
    }
}
