using Ledger.Api.Security;
using Ledger.Api.Writes;
using Ledger.Api.Http;
using Ledger.Domain.Access;
using Ledger.Domain.Inspections;
using Ledger.Domain.Tips;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;

namespace Ledger.Api.Tips;

/// <summary>
/// A tip as the poverty office's tip handlers see it — the only place the contact is shown. A contact
/// that cannot be decrypted (its key is no longer configured, or the ciphertext is damaged) is
/// withheld: <c>contact</c> is null and <c>contactWithheld</c> says why; the rest of the tip and of
/// the list is answered as usual.
/// </summary>
public sealed record TipForHandler(Guid Id, string Description, string? TownCode, string? VillageCode, string? Contact, DateOnly ReceivedOn,
    TipStatus Status, string StatusLabel, string? DismissalReason, Guid? InspectionId, long Version, string? ContactWithheld = null,
    IReadOnlyList<Evidence>? Evidence = null);

public static class ListTips
{
    private static TipForHandler ForHandler(Tip t, string county, FieldProtector protector)
    {
        var contact = t.ContactEncrypted is { } cipher ? protector.Unprotect(cipher, FieldBinding.Contact(county, t.Id)) : null;
        return new(t.Id, t.Description, t.TownCode, t.VillageCode, contact?.Value, t.ReceivedOn, t.Status, t.StatusLabel,
            t.DismissalReason, t.InspectionId, t.Version, contact?.Problem, t.Evidence);
    }

    [WolverineGet("/api/tips")]
    [Authorize(Roles = Roles.PovertyOffice)]
    public static async Task<IReadOnlyList<TipForHandler>> List(IQuerySession session, FieldProtector protector, CancellationToken ct) =>
        (await session.Query<Tip>().OrderByDescending(t => t.ReceivedOn).ToListAsync(ct)).Select(t => ForHandler(t, session.TenantId, protector)).ToList();

    [WolverineGet("/api/tips/{id}")]
    [Authorize(Roles = Roles.PovertyOffice)]
    [ProducesResponseType<TipForHandler>(200)]
    public static async Task<IResult> Get(Guid id, IQuerySession session, FieldProtector protector, CancellationToken ct) =>
        await session.LoadAsync<Tip>(id, ct) is { } tip
            ? Results.Ok(ForHandler(tip, session.TenantId, protector))
            : ProblemAnswers.NotFound($"no tip {id} in this county").ToResult();
}

public static class DismissTipEndpoint
{
    [WolverinePost("/api/tips/{id}/dismissal")]
    [Authorize(Roles = Roles.PovertyOffice)]
    [ProducesResponseType<WriteAnswer>(200)]
    public static Task<IResult> Post(Guid id, DismissTip command, Write write) =>
        write.ToExisting<Tip>(id, command, "tip", tip => command.Decide(tip, write.Today));
}

public static class LinkTipEndpoint
{
    /// <summary>The inspection it names is read from its own stream.</summary>
    [WolverinePost("/api/tips/{id}/link")]
    [Authorize(Roles = Roles.PovertyOffice)]
    [ProducesResponseType<WriteAnswer>(200)]
    public static Task<IResult> Post(Guid id, LinkTip command, Write write) =>
        write.ToExisting<Tip>(id, command, "tip", async tip => command.Decide(tip,
            command.Inspection is { } inspection ? await write.Reads.Events.AggregateStreamAsync<Inspection>(inspection, token: write.Cancellation) : null,
            write.Today));
}
