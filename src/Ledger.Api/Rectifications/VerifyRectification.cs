using Ledger.Api.Auth;
using Ledger.Domain.Common;
using Ledger.Domain.Inspections;
using Ledger.Domain.Rectifications;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;

namespace Ledger.Api.Rectifications;

/// <summary>验收: the office accepts the response and closes the requirement.</summary>
public sealed record AcceptRectification(long? ExpectedVersion, string? Note, DateOnly? AcceptedOn);

/// <summary>退回: the office sends the response back with the reason; the requirement is open again.</summary>
public sealed record ReturnRectification(long? ExpectedVersion, string? Reason);

public static class AcceptRectificationEndpoint
{
    [WolverinePost("/api/rectifications/{id}/acceptance")]
    [Authorize(Roles = Roles.PovertyOffice)]
    [ProducesResponseType<Common.WriteAnswer>(200)]
    [ProducesResponseType<ProblemDetails>(400)]
    [ProducesResponseType<ProblemDetails>(404)]
    [ProducesResponseType<ProblemDetails>(409)]
    public static Task<IResult> Post(Guid id, AcceptRectification command, IDocumentSession session, HttpContext context,
        TimeProvider clock, CancellationToken ct) =>
        RectificationWrite.RunAsync(id, command.ExpectedVersion, session, context, clock,
            (current, requirement, _, today) => Decide(command, current, requirement, today), ct);

    public static Decision Decide(AcceptRectification command, Case current, Rectification requirement, DateOnly today)
    {
        var checks = new Checks().Text(command.Note, "note", Checks.LongText, required: false);
        var acceptedOn = command.AcceptedOn ?? today;
        checks.That(acceptedOn <= today, "acceptedOn is in the future");
        if (checks.ToRefusal() is { } invalid) return invalid;
        if (requirement.Stage == RectificationStage.Closed) return Refusal.Conflict("the requirement is already closed");
        if (requirement.Stage != RectificationStage.Responded)
            return Refusal.Conflict("nothing to accept: there is no response awaiting verification");
        if (acceptedOn < requirement.Turns[^1].RespondedOn) return Refusal.Invalid(["acceptedOn is before the response"]);
        return Decision.Accept(new RectificationAccepted(current.Id, current.InspectionId, current.Year, current.TownCode, current.UnitCode,
            current.VillageCode, command.Note?.Trim(), acceptedOn, requirement.Deadline, acceptedOn > requirement.Deadline));
    }
}

public static class ReturnRectificationEndpoint
{
    [WolverinePost("/api/rectifications/{id}/return")]
    [Authorize(Roles = Roles.PovertyOffice)]
    [ProducesResponseType<Common.WriteAnswer>(200)]
    [ProducesResponseType<ProblemDetails>(400)]
    [ProducesResponseType<ProblemDetails>(404)]
    [ProducesResponseType<ProblemDetails>(409)]
    public static Task<IResult> Post(Guid id, ReturnRectification command, IDocumentSession session, HttpContext context,
        TimeProvider clock, CancellationToken ct) =>
        RectificationWrite.RunAsync(id, command.ExpectedVersion, session, context, clock,
            (current, requirement, _, today) => Decide(command, current, requirement, today), ct);

    public static Decision Decide(ReturnRectification command, Case current, Rectification requirement, DateOnly today)
    {
        if (new Checks().Text(command.Reason, "reason (why it is sent back)", Checks.LongText).ToRefusal() is { } invalid) return invalid;
        if (requirement.Stage == RectificationStage.Closed) return Refusal.Conflict("the requirement is closed (accepted)");
        if (requirement.Stage != RectificationStage.Responded)
            return Refusal.Conflict("nothing to send back: there is no response awaiting verification");
        return Decision.Accept(new RectificationReturned(current.Id, current.InspectionId, current.Year, current.TownCode, current.UnitCode,
            current.VillageCode, command.Reason!.Trim(), today));
    }
}
