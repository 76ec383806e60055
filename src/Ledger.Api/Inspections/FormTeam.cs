using Ledger.Api.Writes;
using Ledger.Domain.Access;
using Ledger.Api.Auth;
using Ledger.Api.Registry;
using Ledger.Domain.Common;
using Ledger.Domain.Inspections;
using Ledger.Domain.Registry;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;

namespace Ledger.Api.Inspections;

/// <summary>组建督查组: the leader (accountable, 组长负责制) and members, each with the unit or town they come from.</summary>
public sealed record FormTeam(long? ExpectedVersion, TeamMember? Leader, IReadOnlyList<TeamMember>? Members);

public static class FormTeamEndpoint
{
    [WolverinePost("/api/inspections/{id}/team")]
    [Authorize(Roles = Roles.InspectionOffice)]
    [ProducesResponseType<WriteAnswer>(200)]
    [ProducesResponseType<ProblemDetails>(400)]
    [ProducesResponseType<ProblemDetails>(404)]
    [ProducesResponseType<ProblemDetails>(409)]
    public static Task<IResult> Post(Guid id, FormTeam command, IDocumentSession session, HttpContext context, TimeProvider clock, CancellationToken ct)
        => ExistingStream.WriteAsync<Inspection>(session, id, command.ExpectedVersion, context, "inspection", async inspection =>
        {
            var people = People(command);
            var registry = await RegistryReader.LoadAsync(session,
                people.Select(p => p.TownCode), [.. people.Select(p => p.UnitCode), .. inspection.UnitCodes], [], ct);
            return Decide(command, inspection, registry, ChinaTime.Today(clock.GetUtcNow()));
        }, ct);

    private static IReadOnlyList<TeamMember> People(FormTeam command) =>
        [.. command.Leader is null ? [] : new[] { command.Leader }, .. command.Members ?? []];

    public static Decision Decide(FormTeam command, Inspection inspection, RegistryState registry, DateOnly today)
    {
        var checks = new Checks();
        checks.That(command.Leader is not null, "the team needs a leader (组长)");
        var people = People(command);
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

        return Decision.Accept(new InspectionTeamFormed(inspection.Id, inspection.Year, command.Leader!, command.Members ?? [], today));
    }
}
