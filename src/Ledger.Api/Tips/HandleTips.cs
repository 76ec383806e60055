using Ledger.Api.Security;
using Ledger.Api.Writes;
using Ledger.Api.Http;
using Ledger.Domain.Access;
using Ledger.Api.Auth;
using Ledger.Domain.Common;
using Ledger.Domain.Inspections;
using Ledger.Domain.Tips;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;

namespace Ledger.Api.Tips;

/// <summary>A tip as the poverty office's tip handlers see it — the only place the contact is shown.</summary>
public sealed record TipForHandler(Guid Id, string Description, string? TownCode, string? VillageCode, string? Contact, DateOnly ReceivedOn,
    TipStatus Status, string StatusLabel, string? DismissalReason, Guid? InspectionId, long Version);

public static class ListTips
{
    private static TipForHandler ForHandler(Tip t, FieldProtector protector) => new(t.Id, t.Description, t.TownCode, t.VillageCode,
        t.ContactEncrypted is { } c && protector.Enabled ? protector.Unprotect(c) : null, t.ReceivedOn, t.Status, t.StatusLabel,
        t.DismissalReason, t.InspectionId, t.Version);

    [WolverineGet("/api/tips")]
    [Authorize(Roles = Roles.PovertyOffice)]
    public static async Task<IReadOnlyList<TipForHandler>> List(IQuerySession session, FieldProtector protector, CancellationToken ct) =>
        (await session.Query<Tip>().OrderByDescending(t => t.ReceivedOn).ToListAsync(ct)).Select(t => ForHandler(t, protector)).ToList();

    [WolverineGet("/api/tips/{id}")]
    [Authorize(Roles = Roles.PovertyOffice)]
    [ProducesResponseType<TipForHandler>(200)]
    [ProducesResponseType<ProblemDetails>(404)]
    public static async Task<IResult> Get(Guid id, IQuerySession session, FieldProtector protector, CancellationToken ct) =>
        await session.LoadAsync<Tip>(id, ct) is { } tip
            ? Results.Ok(ForHandler(tip, protector))
            : ProblemAnswers.NotFound($"no tip {id} in this county").ToResult();
}

/// <summary>不予立案, with the reason.</summary>
public sealed record DismissTip(long? ExpectedVersion, string? Reason);

/// <summary>转督查: the inspection whose team will look into it.</summary>
public sealed record LinkTip(long? ExpectedVersion, Guid? Inspection);

public static class DismissTipEndpoint
{
    [WolverinePost("/api/tips/{id}/dismissal")]
    [Authorize(Roles = Roles.PovertyOffice)]
    [ProducesResponseType<WriteAnswer>(200)]
    [ProducesResponseType<ProblemDetails>(400)]
    [ProducesResponseType<ProblemDetails>(404)]
    [ProducesResponseType<ProblemDetails>(409)]
    public static async Task<IResult> Post(Guid id, DismissTip command, IDocumentSession session, HttpContext context, TimeProvider clock, CancellationToken ct)
    {
        var (stream, refused) = await ExistingStream.OpenAsync<Tip>(session, id, command.ExpectedVersion, context, "tip", ct);
        if (stream is null) return refused!;
        if (new Checks().Text(command.Reason, "reason", Checks.LongText).ToRefusal() is { } invalid) return invalid.ToResult();
        if (stream.Aggregate!.Status != TipStatus.Received)
            return ProblemAnswers.Conflict($"the tip is already {stream.Aggregate.StatusLabel}").ToResult();
        stream.AppendOne(new TipDismissed(id, command.Reason!.Trim(), ChinaTime.Today(clock.GetUtcNow())));
        return Results.Ok(new WriteAnswer(id, ExistingStream.VersionOf(stream) + 1));
    }
}

public static class LinkTipEndpoint
{
    [WolverinePost("/api/tips/{id}/link")]
    [Authorize(Roles = Roles.PovertyOffice)]
    [ProducesResponseType<WriteAnswer>(200)]
    [ProducesResponseType<ProblemDetails>(400)]
    [ProducesResponseType<ProblemDetails>(404)]
    [ProducesResponseType<ProblemDetails>(409)]
    public static async Task<IResult> Post(Guid id, LinkTip command, IDocumentSession session, HttpContext context, TimeProvider clock, CancellationToken ct)
    {
        var (stream, refused) = await ExistingStream.OpenAsync<Tip>(session, id, command.ExpectedVersion, context, "tip", ct);
        if (stream is null) return refused!;
        if (command.Inspection is not { } inspectionId) return ProblemAnswers.BadRequest("inspection is required").ToResult();
        var inspection = await session.LoadAsync<Inspection>(inspectionId, ct);
        if (inspection is null) return ProblemAnswers.NotFound($"no inspection {inspectionId} in this county").ToResult();
        var tip = stream.Aggregate!;
        if (tip.Status != TipStatus.Received) return ProblemAnswers.Conflict($"the tip is already {tip.StatusLabel}").ToResult();
        if (inspection.Status is InspectionStatus.ReportSubmitted or InspectionStatus.Closed)
            return ProblemAnswers.Conflict("the inspection's field work is over: link the tip to one still to come or in the field").ToResult();
        if (tip.TownCode is { } town && !inspection.TownCodes.Contains(town))
            return ProblemAnswers.BadRequest($"the tip concerns town {town}, which this inspection does not cover").ToResult();
        stream.AppendOne(new TipLinked(id, inspectionId, inspection.Year, tip.TownCode, tip.VillageCode, ChinaTime.Today(clock.GetUtcNow())));
        return Results.Ok(new WriteAnswer(id, ExistingStream.VersionOf(stream) + 1));
    }
}
