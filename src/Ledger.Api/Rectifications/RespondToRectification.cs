using Ledger.Api.Auth;
using Ledger.Api.Inspections;
using Ledger.Domain.Common;
using Ledger.Domain.Inspections;
using Ledger.Domain.Rectifications;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;

namespace Ledger.Api.Rectifications;

/// <summary>反馈整改情况: what was done, with evidence.</summary>
public sealed record RespondToRectification(long? ExpectedVersion, string? Description, IReadOnlyList<Evidence>? Evidence, DateOnly? RespondedOn);

public static class RespondToRectificationEndpoint
{
    [WolverinePost("/api/rectifications/{id}/responses")]
    [Authorize(Roles = $"{Roles.Respondent},{Roles.PovertyOffice}")]
    [ProducesResponseType<Common.WriteAnswer>(200)]
    [ProducesResponseType<ProblemDetails>(400)]
    [ProducesResponseType<ProblemDetails>(403)]
    [ProducesResponseType<ProblemDetails>(404)]
    [ProducesResponseType<ProblemDetails>(409)]
    public static Task<IResult> Post(Guid id, RespondToRectification command, IDocumentSession session, HttpContext context,
        TimeProvider clock, CancellationToken ct) =>
        RectificationWrite.RunAsync(id, command.ExpectedVersion, session, context, clock,
            (current, requirement, caller, today) => Decide(command, current, requirement, caller, today), ct);

    public static Decision Decide(RespondToRectification command, Case current, Rectification requirement, Caller caller, DateOnly today)
    {
        if (!RectificationWrite.MayAnswerFor(caller, requirement))
            return Refusal.Forbidden($"only {requirement.Responsible} (or the poverty office on its behalf) responds to this requirement");
        var checks = new Checks();
        checks.Text(command.Description, "description (what was done)", Checks.LongText);
        Targets.CheckEvidence(checks, command.Evidence);
        var respondedOn = command.RespondedOn ?? today;
        checks.That(respondedOn <= today, "respondedOn is in the future");
        checks.That(respondedOn >= requirement.NotifiedOn, "respondedOn is before the requirement was notified");
        if (checks.ToRefusal() is { } invalid) return invalid;
        if (requirement.Stage == RectificationStage.Closed) return Refusal.Conflict("the requirement is closed (accepted)");
        if (requirement.Stage == RectificationStage.Responded) return Refusal.Conflict("the last response is still being verified");
        return Decision.Accept(new RectificationResponded(current.Id, current.InspectionId, current.Year, current.TownCode, current.UnitCode,
            current.VillageCode, command.Description!.Trim(), Targets.Evidence(command.Evidence), caller.User,
            caller.Role == Roles.PovertyOffice, respondedOn));
    }
}
