using Ledger.Api.Writes;
using Ledger.Api.Http;
using Ledger.Domain.Access;
using Ledger.Api.Auth;
using Ledger.Api.Inspections;
using Ledger.Api.Registry;
using Ledger.Domain.Common;
using Ledger.Domain.Identification;
using Ledger.Domain.Inspections;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;

namespace Ledger.Api.Identification;

/// <summary>群众认可度调查: of those asked in a town (or one of its villages), how many approve.</summary>
public sealed record RecordApprovalSurvey(string? Town, string? Village, int? Respondents, int? Approving, DateOnly? SurveyedOn);

public static class RecordApprovalSurveyEndpoint
{
    [WolverinePost("/api/inspections/{id}/approval-surveys")]
    [Authorize(Roles = Roles.Inspector)]
    [ProducesResponseType<WriteAnswer>(201)]
    [ProducesResponseType<ProblemDetails>(400)]
    [ProducesResponseType<ProblemDetails>(403)]
    [ProducesResponseType<ProblemDetails>(404)]
    [ProducesResponseType<ProblemDetails>(409)]
    public static async Task<IResult> Post(Guid id, RecordApprovalSurvey command, IDocumentSession session, HttpContext context,
        TimeProvider clock, CancellationToken ct)
    {
        var inspection = await session.LoadAsync<Inspection>(id, ct);
        if (inspection is null) return ProblemAnswers.NotFound($"no inspection {id} in this county").ToResult();
        var caller = CallerClaims.From(context.User);
        if (!AccessRules.CanRecord(caller, inspection))
            return ProblemAnswers.Forbidden("only a member of this inspection's team records its surveys").ToResult();
        var registry = await RegistryReader.LoadAsync(session, [command.Town], [], [command.Village], ct);

        var checks = new Checks();
        var target = Targets.Check(checks, command.Town, null, command.Village, inspection, registry);
        checks.That(target.Town is not null, "town is required");
        checks.That(command.Respondents is >= 1 && command.Approving is >= 0 && command.Approving <= command.Respondents,
            "respondents (≥ 1) and approving (0 to respondents) are required");
        var today = ChinaTime.Today(clock.GetUtcNow());
        var surveyedOn = command.SurveyedOn ?? today;
        checks.That(surveyedOn <= today, "surveyedOn is in the future");
        if (checks.ToRefusal() is { } invalid) return invalid.ToResult();
        if (inspection.Status != InspectionStatus.InField)
            return ProblemAnswers.Conflict($"records are accepted only while the inspection is in the field; it is {Codes.LabelOf(inspection.Status)}").ToResult();

        var surveyId = Guid.CreateVersion7(clock.GetUtcNow());
        session.Events.StartStream(surveyId, new PublicApprovalSurveyed(surveyId, inspection.Id, inspection.Year, target.Town!,
            target.Village, command.Respondents!.Value, command.Approving!.Value, caller.User, surveyedOn));
        return Results.Created($"/api/towns/{target.Town}/accuracy?year={inspection.Year}", new WriteAnswer(surveyId, 1));
    }
}
