namespace Ledger.Domain.Inspections;

/// <summary>
/// What the access rules need of an inspection, whether the write model or the read model holds it:
/// the towns and units it covers and its team.
/// </summary>
public interface IInspectionScope
{
    IReadOnlyList<string> TownCodes { get; }
    IReadOnlyList<string> UnitCodes { get; }
    TeamMember? Leader { get; }
    IReadOnlyList<TeamMember> Members { get; }
}
