using Ledger.Api.Auth;
using Ledger.Domain.Common;
using Ledger.Domain.Inspections;
using Ledger.Domain.Rectifications;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;

namespace Ledger.Api.Rectifications;

/// <summary>申请延期: a later deadline and the reason.</summary>
public sealed record RequestExtension(long? ExpectedVersion, DateOnly? RequestedDeadline, string? Reason);

/// <summary>The office's decision on the pending extension request.</summary>
public sealed record DecideExtension(long? ExpectedVersion, bool? Granted, string? Reason);

public static class RequestExtensionEndpoint
{
    [WolverinePost("/api/rectifications/{id}/extension-requests")]
    [Authorize(Roles = $"{Roles.Respondent},{Roles.PovertyOffice}")]
    [ProducesResponseType<Common.WriteAnswer>(200)]
    [ProducesResponseType<ProblemDetails>(400)]
    [ProducesResponseType<ProblemDetails>(403)]
    [ProducesResponseType<ProblemDetails>(404)]
    [ProducesResponseType<ProblemDetails>(409)]
    public static Task<IResult> Post(Guid id, RequestExtension command, IDocumentSession session, HttpContext context,
        TimeProvider clock, CancellationToken ct) =>
        RectificationWrite.RunAsync(id, command.ExpectedVersion, session, context, clock,
            (current, requirement, caller, today) => Decide(command, current, requirement, caller, today), ct);

    public static Decision Decide(RequestExtension command, Case current, Rectification requirement, Caller caller, DateOnly today)
    {
        if (!RectificationWrite.MayAnswerFor(caller, requirement))
            return Refusal.Forbidden($"only {requirement.Responsible} (or the poverty office on its behalf) asks for an extension");
        var checks = new Checks().Text(command.Reason, "reason", Checks.LongText);
        checks.That(command.RequestedDeadline is not null, "requestedDeadline is required");
        checks.That(command.RequestedDeadline is null || command.RequestedDeadline > requirement.Deadline,
            $"requestedDeadline must be after the current deadline {requirement.Deadline:yyyy-MM-dd}");
        if (checks.ToRefusal() is { } invalid) return invalid;
        if (requirement.Stage == RectificationStage.Closed) return Refusal.Conflict("the requirement is closed (accepted)");
        if (requirement.PendingExtension is not null) return Refusal.Conflict("an extension request is already waiting for a decision");
        return Decision.Accept(new RectificationExtensionRequested(current.Id, current.InspectionId, current.Year, current.TownCode,
            current.UnitCode, current.VillageCode, command.RequestedDeadline!.Value, command.Reason!.Trim(), caller.User, today));
    }
}

public static class DecideExtensionEndpoint
{
    [WolverinePost("/api/rectifications/{id}/extension-decision")]
    [Authorize(Roles = Roles.PovertyOffice)]
    [ProducesResponseType<Common.WriteAnswer>(200)]
    [ProducesResponseType<ProblemDetails>(400)]
    [ProducesResponseType<ProblemDetails>(404)]
    [ProducesResponseType<ProblemDetails>(409)]
    public static Task<IResult> Post(Guid id, DecideExtension command, IDocumentSession session, HttpContext context,
        TimeProvider clock, CancellationToken ct) =>
        RectificationWrite.RunAsync(id, command.ExpectedVersion, session, context, clock,
            (current, requirement, _, today) => Decide(command, current, requirement, today), ct);

    public static Decision Decide(DecideExtension command, Case current, Rectification requirement, DateOnly today)
    {
        var checks = new Checks();
        checks.That(command.Granted is not null, "granted (true or false) is required");
        checks.Text(command.Reason, "reason", Checks.LongText, required: command.Granted == false);
        if (checks.ToRefusal() is { } invalid) return invalid;
        if (requirement.PendingExtension is not { } pending) return Refusal.Conflict("no extension has been asked for");
        return command.Granted == true
            ? Decision.Accept(new RectificationExtensionGranted(current.Id, current.InspectionId, current.Year, current.TownCode,
                current.UnitCode, current.VillageCode, requirement.Deadline, pending.RequestedDeadline, command.Reason?.Trim(), today))
            : Decision.Accept(new RectificationExtensionDenied(current.Id, current.InspectionId, current.Year, current.TownCode,
                current.UnitCode, current.VillageCode, command.Reason!.Trim(), today));
    }
}
