using Ledger.Domain.Common;
using Ledger.Domain.Registry;

namespace Ledger.Domain.Inspections;

/// <summary>
/// The write model of an inspection, evolved from its stream: what the rules decide on (kind, year,
/// the towns, units and content areas it covers, cross-inspection, status and team). Never mutated:
/// each event gives a new value. The read model, with the plan, report and labels, is InspectionView
/// in Ledger.Projections.
/// </summary>
public sealed record Inspection(
    Guid Id, InspectionKind Kind, int Year,
    IReadOnlyList<string> TownCodes, IReadOnlyList<string> UnitCodes, IReadOnlyList<ContentArea> ContentAreas,
    bool CrossInspection, string? InspectingTownCode,
    InspectionStatus Status, TeamMember? Leader, IReadOnlyList<TeamMember> Members,
    bool Unannounced = false, IReadOnlyList<(string? Town, string? Unit)>? Notified = null) : IInspectionScope
{
    IEnumerable<(string? Town, string? Unit)> IInspectionScope.NotifiedRecipients => Notified ?? [];

    public long Version { get; set; }

    public static Inspection Create(InspectionPlanned e) => new(
        e.InspectionId, e.Kind, e.Year, e.TownCodes, e.UnitCodes, e.ContentAreas, e.CrossInspection, e.InspectingTownCode,
        InspectionStatus.Planned, null, [], e.Unannounced);

    public Inspection Apply(InspectionTeamFormed e) =>
        this with { Status = InspectionStatus.TeamFormed, Leader = e.Leader, Members = e.Members };

    public Inspection Apply(InspectionFieldworkStarted e) => this with { Status = InspectionStatus.InField };

    public Inspection Apply(InspectionReportSubmitted e) => this with { Status = InspectionStatus.ReportSubmitted };

    public Inspection Apply(InspectionResultsNotified e) =>
        this with { Status = InspectionStatus.Closed, Notified = [.. Notified ?? [], (e.TownCode, e.UnitCode)] };

    /// <summary>Is this login user the leader or a member of the team?</summary>
    public bool IsOnTeam(string user) => TeamRules.IsOnTeam(this, user);

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
