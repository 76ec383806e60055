using Ledger.Domain.Common;
using Ledger.Domain.Registry;

namespace Ledger.Domain.Inspections;

/// <summary>
/// Who may sit on an inspection team (Art. 5, 7): leader and members come from leading-group
/// member units (in a cross-inspection also from the inspecting town), and a person never
/// inspects the town or unit they belong to.
/// </summary>
public static class TeamRules
{
    /// <summary>Is this login user the leader or a member of the inspection's team?</summary>
    public static bool IsOnTeam(IInspectionScope inspection, string user) =>
        inspection.Leader?.User == user || inspection.Members.Any(m => m.User == user);

    /// <summary>Input problems (400): unknown units or towns, a person without an origin, duplicates.</summary>
    public static IEnumerable<string> InputProblems(IReadOnlyList<TeamMember> people, RegistryState registry)
    {
        foreach (var person in people)
        {
            var who = $"{person.Name} ({person.User})";
            if ((person.UnitCode is null) == (person.TownCode is null))
                yield return $"{who} must come from exactly one unit or one town";
            if (person.UnitCode is not null && !registry.Units.ContainsKey(person.UnitCode))
                yield return $"{who}: unknown unit code '{person.UnitCode}'";
            if (person.TownCode is not null && !registry.Towns.ContainsKey(person.TownCode))
                yield return $"{who}: unknown town code '{person.TownCode}'";
        }
        foreach (var duplicate in people.GroupBy(p => p.User).Where(g => g.Count() > 1))
            yield return $"user '{duplicate.Key}' appears more than once on the team";
    }

    /// <summary>Conflicts (409) of the team with this inspection, each naming the person and the conflict.</summary>
    public static IEnumerable<string> Conflicts(Inspection inspection, IReadOnlyList<TeamMember> people, RegistryState registry)
    {
        foreach (var person in people)
        {
            var who = $"{person.Name} ({person.User})";
            if (person.UnitCode is { } unitCode && registry.Units.TryGetValue(unitCode, out var unit))
            {
                if (inspection.UnitCodes.Contains(unitCode))
                    yield return $"{who} belongs to unit {unitCode} ({unit.Name}), which this inspection inspects";
                if (unit.Kind == UnitKind.WorkTeam && unit.TownCode is { } stationed && inspection.TownCodes.Contains(stationed))
                    yield return $"{who} belongs to the work team stationed in town {stationed}, which this inspection inspects";
                if (!unit.LeadingGroupMember)
                    yield return $"{who} comes from unit {unitCode} ({unit.Name}), which is not a leading-group member unit (扶贫开发领导小组成员单位)";
            }
            if (person.TownCode is { } townCode)
            {
                if (inspection.TownCodes.Contains(townCode))
                    yield return $"{who} belongs to town {townCode}, which this inspection inspects";
                else if (!inspection.CrossInspection || inspection.InspectingTownCode != townCode)
                    yield return $"{who} comes from town {townCode}, but only a cross-inspection (交叉督查) by that town draws people from a town";
            }
        }
    }
}
