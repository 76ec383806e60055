using Ledger.Api.Writes;
using Ledger.Domain.Access;
using Ledger.Api.Auth;
using Ledger.Domain.Common;
using Ledger.Domain.Inspections;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;

namespace Ledger.Api.Reports;

/// <summary>情况报告: the situation, the problems (cases of this inspection), opinions and suggestions.</summary>
public sealed record SubmitReport(long? ExpectedVersion, string? Situation, IReadOnlyList<ReportProblem>? Problems, string? Opinions, string? Suggestions);

public static class SubmitReportEndpoint
{
    public const int ReportText = 50_000;

    [WolverinePost("/api/inspections/{id}/report")]
    [Authorize(Roles = Roles.Inspector)]
    [ProducesResponseType<WriteAnswer>(200)]
    [ProducesResponseType<ProblemDetails>(400)]
    [ProducesResponseType<ProblemDetails>(403)]
    [ProducesResponseType<ProblemDetails>(404)]
    [ProducesResponseType<ProblemDetails>(409)]
    public static Task<IResult> Post(Guid id, SubmitReport command, IDocumentSession session, HttpContext context,
        TimeProvider clock, CancellationToken ct)
        => ExistingStream.WriteAsync<Inspection>(session, id, command.ExpectedVersion, context, "inspection", async inspection =>
            Decide(command, inspection, await session.Query<Case>().Where(c => c.InspectionId == id).ToListAsync(ct),
                CallerClaims.From(context.User), ChinaTime.Today(clock.GetUtcNow())), ct);

    public static Decision Decide(SubmitReport command, Inspection inspection, IReadOnlyList<Case> cases, Caller caller, DateOnly today)
    {
        if (!inspection.IsLeader(caller.User))
            return Refusal.Forbidden("the team leader (组长) submits the report: 组长负责制");
        var checks = new Checks();
        checks.Text(command.Situation, "situation", ReportText);
        checks.Text(command.Opinions, "opinions", ReportText);
        checks.Text(command.Suggestions, "suggestions", ReportText, required: false);
        var problems = command.Problems ?? [];
        var byId = cases.ToDictionary(c => c.Id);
        for (var i = 0; i < problems.Count; i++)
        {
            var problem = problems[i];
            if (problem is null) { checks.Add($"problems[{i}] is empty"); continue; }
            checks.Text(problem.Summary, $"problems[{i}].summary", Checks.LongText);
            if (!byId.TryGetValue(problem.CaseId, out var known)) checks.Add($"problems[{i}]: case {problem.CaseId} is not a record of this inspection");
            else checks.That(known.IsProblem, $"problems[{i}]: case {problem.CaseId} is not an open problem (withdrawn, or a check without irregularities)");
        }
        checks.That(problems.Select(p => p?.CaseId).Distinct().Count() == problems.Count, "a case is named twice among the problems");
        if (checks.ToRefusal() is { } invalid) return invalid;
        if (inspection.Status != InspectionStatus.InField)
            return Refusal.Conflict($"a report follows the field work; the inspection is {Codes.LabelOf(inspection.Status)}");
        return Decision.Accept(new InspectionReportSubmitted(inspection.Id, inspection.Year, command.Situation!.Trim(),
            problems.Select(p => p with { Summary = p.Summary.Trim() }).ToList(), command.Opinions!.Trim(),
            command.Suggestions?.Trim() ?? "", caller.User, today));
    }
}
