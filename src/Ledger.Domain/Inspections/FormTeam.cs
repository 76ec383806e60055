using Ledger.Domain.Common;
using Ledger.Domain.Registry;

namespace Ledger.Domain.Inspections;

/// <summary>组建督查组: the leader (accountable, 组长负责制) and members, each with the unit or town they come from.</summary>
public sealed record FormTeam(long? ExpectedVersion, TeamMember? Leader, IReadOnlyList<TeamMember>? Members) : IVersionedCommand
{
    /// <summary>Leader first, then the members.</summary>
    public IReadOnlyList<TeamMember> People() => [.. Leader is null ? [] : new[] { Leader }, .. Members ?? []];

    /// <summary>The registry entries the decision checks: where each person comes from, and the units inspected.</summary>
    public IEnumerable<string?> NamedTowns() => People().Select(p => p?.TownCode);
    public IEnumerable<string?> NamedUnits(Inspection inspection) => [.. People().Select(p => p?.UnitCode), .. inspection.UnitCodes];

    /// <summary>The team is formed (or formed anew) before field work starts, free of conflicts of interest.</summary>
    public Decision Decide(Inspection inspection, RegistryState registry, DateOnly today)
    {
        var checks = new Checks();
        checks.That(Leader is not null, "the team needs a leader (组长)");
        var people = People();
        for (var i = 0; i < people.Count; i++)
        {
            checks.Text(people[i]?.User, $"team[{i}].user", 100);
            checks.Text(people[i]?.Name, $"team[{i}].name");
        }
        if (checks.ToRefusal() is { } invalid) return invalid;
        foreach (var problem in TeamRules.InputProblems(people, registry)) checks.Add(problem);
        if (checks.ToRefusal() is { } unknown) return unknown;

        if (inspection.Status is not (InspectionStatus.Planned or InspectionStatus.TeamFormed))
            return Refusal.Conflict($"the inspection is {Codes.LabelOf(inspection.Status)}: its team can only be formed before field work starts");
        var conflicts = TeamRules.Conflicts(inspection, people, registry).ToList();
        if (conflicts.Count > 0)
            return new Refusal(RefusalKind.Conflict, "利益冲突或人员来源不符 (conflict of interest or origin): " + string.Join("; ", conflicts), conflicts);

        return Decision.Accept(new InspectionTeamFormed(inspection.Id, inspection.Year, Leader!, Members ?? [], today));
    }
}
