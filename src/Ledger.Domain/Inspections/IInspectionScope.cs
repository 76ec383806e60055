namespace Ledger.Domain.Inspections;

/// <summary>
/// What the access rules need of an inspection, whether the write model or the read model holds it:
/// the towns and units it covers, its team, how far it has gone, whether it was planned as
/// unannounced, and the towns and units its results have been notified to.
/// </summary>
public interface IInspectionScope
{
    InspectionStatus Status { get; }
    /// <summary>暗访/随机访: planned as unannounced; the inspected see it only once notified of its results.</summary>
    bool Unannounced { get; }
    /// <summary>The recipients (town or unit) of each notification of results so far.</summary>
    IEnumerable<(string? Town, string? Unit)> NotifiedRecipients { get; }
    IReadOnlyList<string> TownCodes { get; }
    IReadOnlyList<string> UnitCodes { get; }
    TeamMember? Leader { get; }
    IReadOnlyList<TeamMember> Members { get; }
}
