using Ledger.Api.Security;
using Ledger.Api.Writes;
using Ledger.Api.Http;
using Ledger.Api.Auth;
using Ledger.Api.Registry;
using Ledger.Api.Setup;
using Ledger.Api.EvidenceFiles;
using Ledger.Domain.Common;
using Ledger.Domain.Tips;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.RateLimiting;
using Wolverine.Http;

namespace Ledger.Api.Tips;

/// <summary>The reporter keeps the receipt: it is the only way back to the tip's state.</summary>
public sealed record TipReceipt(string Receipt, TipStatus Status, string StatusLabel);

public static class SubmitTipEndpoint
{
    public const string RateLimit = "public";
    public const int MaxBodyBytes = 16 * 1024;

    /// <summary>
    /// Anonymous. The county comes from the body (default Xinfeng), not from a token; the contact
    /// is stored only encrypted; the receipt only as its hash. Rate- and size-limited; only for a
    /// county this ledger serves (<see cref="ServedCounties"/>), else 404.
    /// </summary>
    [WolverinePost("/api/tips")]
    [AllowAnonymous]
    [NotTenanted]
    [EnableRateLimiting(RateLimit)]
    [ProducesResponseType<TipReceipt>(201)]
    [ProducesResponseType<ProblemDetails>(404)]
    [ProducesResponseType<ProblemDetails>(413)]
    [ProducesResponseType<ProblemDetails>(429)]
    [ProducesResponseType<ProblemDetails>(409)]
    public static async Task<IResult> Post(SubmitTip command, HttpContext context, IDocumentStore store, FieldProtector protector, TimeProvider clock,
        ServedCounties served, EvidenceCatalog catalog, CancellationToken ct)
    {
        var county = string.IsNullOrWhiteSpace(command.County) ? Counties.Xinfeng : command.County.Trim();
        if (!Counties.IsValidCode(county)) return ProblemAnswers.BadRequest("county must be a 6-digit statistics code").ToResult();
        if (!served.Serves(county)) return ProblemAnswers.NotFound($"this ledger takes no tips for county {county}").ToResult();
        await using var session = store.LightweightSession(county);
        var registry = await RegistryReader.LoadAsync(session, [command.Town], [], [command.Village], ct);
        var receipt = Tip.NewReceipt(county);
        var id = Guid.CreateVersion7(clock.GetUtcNow());
        var (photos, notPhotos) = await UploadTipPhotoEndpoint.ResolveAsync(catalog, county, command.Photos, ct);
        if (notPhotos is not null) return notPhotos.ToResult();
        var decision = command.Decide(id, receipt, registry, protector.AsEncryptor(FieldBinding.Contact(county, id)), ChinaTime.Today(clock.GetUtcNow()),
            photos);
        if (decision.Refusal is { } refusal) return refusal.ToResult();

        session.LastModifiedBy = "public";
        session.SetHeader(ActorMiddleware.RoleHeader, "anonymous");
        session.Events.StartStream<Tip>(id, decision.Events.ToArray());
        // A retry carrying the same Idempotency-Key claims the key in the tip's own transaction (as
        // IdempotencyMarker does for writes through the request's session): of two identical tips
        // racing, one commits, the other finds the key taken and records nothing.
        if (context.Items[typeof(Idempotency.Claim)] is Idempotency.Claim claim)
            session.QueueSqlCommand($"insert into {Idempotency.Table} (county, user_name, key, request_hash) values (?, ?, ?, ?)",
                claim.County, claim.User, claim.Key, claim.RequestHash);
        try
        {
            await session.SaveChangesAsync(ct); // no token, so no tenant from the request: this session is the tip's county's own
        }
        catch (Exception e) when (IsUniqueViolation(e))
        {
            return ProblemAnswers.Conflict($"a tip with this {Idempotency.Header} is being recorded or was recorded; nothing more was recorded").ToResult();
        }
        return Results.Created("/api/tips/status", new TipReceipt(receipt, TipStatus.Received, Codes.LabelOf(TipStatus.Received)));
    }

    private static bool IsUniqueViolation(Exception? e)
    {
        for (; e is not null; e = e.InnerException)
            if (e is Npgsql.PostgresException { SqlState: Npgsql.PostgresErrorCodes.UniqueViolation }) return true;
        return false;
    }
}

/// <summary>What a reporter learns with the receipt — the state, and nothing else.</summary>
public sealed record TipState(string Receipt, TipStatus Status, string StatusLabel, DateOnly ReceivedOn, bool Rectified);

/// <summary>查询举报办理情况: the receipt, in the body.</summary>
public sealed record TipStatusQuery(string? Receipt);

/// <summary>
/// The reporter's look-up. The receipt travels in the body of a POST, never in a URL: URLs end up in
/// proxy and access logs, bookmarks and browser history, and whoever holds a receipt learns the tip's
/// state. There is no GET form (earlier versions had <c>GET /api/tips/status?receipt=</c>; it is gone,
/// so a receipt cannot be sent the leaky way by mistake). Nothing is appended.
/// </summary>
public static class GetTipStatus
{
    [WolverinePost("/api/tips/status")]
    [AllowAnonymous]
    [NotTenanted]
    [EnableRateLimiting(SubmitTipEndpoint.RateLimit)]
    [ProducesResponseType<TipState>(200)]
    public static async Task<IResult> Post(TipStatusQuery query, IDocumentStore store, ServedCounties served, CancellationToken ct)
    {
        var receipt = query.Receipt?.Trim() ?? "";
        var county = receipt.Split('-')[0];
        if (!Counties.IsValidCode(county) || !served.Serves(county)) return ProblemAnswers.NotFound("no tip with that receipt").ToResult();
        await using var session = store.QuerySession(county);
        var hash = Tip.HashReceipt(receipt);
        var tip = await session.Query<Tip>().FirstOrDefaultAsync(t => t.ReceiptHash == hash, ct);
        if (tip is null) return ProblemAnswers.NotFound("no tip with that receipt").ToResult();
        var finding = await session.Query<Projections.Cases.CaseView>().FirstOrDefaultAsync(c => c.SourceTipId == tip.Id, ct);
        var status = finding is not null ? TipStatus.FindingRecorded : tip.Status;
        return Results.Ok(new TipState(receipt.ToUpperInvariant(), status, Codes.LabelOf(status), tip.ReceivedOn,
            finding?.Rectification?.Stage == Domain.Rectifications.RectificationStage.Closed));
    }
}
