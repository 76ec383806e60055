using Ledger.Api.Security;
using Ledger.Api.Http;
using Ledger.Api.Auth;
using Ledger.Api.Registry;
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
    /// is stored only encrypted; the receipt only as its hash. Rate- and size-limited.
    /// </summary>
    [WolverinePost("/api/tips")]
    [AllowAnonymous]
    [NotTenanted]
    [EnableRateLimiting(RateLimit)]
    [ProducesResponseType<TipReceipt>(201)]
    [ProducesResponseType<ProblemDetails>(413)]
    [ProducesResponseType<ProblemDetails>(429)]
    public static async Task<IResult> Post(SubmitTip command, IDocumentStore store, FieldProtector protector, TimeProvider clock, CancellationToken ct)
    {
        var county = string.IsNullOrWhiteSpace(command.County) ? Counties.Xinfeng : command.County.Trim();
        if (!Counties.IsValidCode(county)) return ProblemAnswers.BadRequest("county must be a 6-digit statistics code").ToResult();
        await using var session = store.LightweightSession(county);
        var registry = await RegistryReader.LoadAsync(session, [command.Town], [], [command.Village], ct);
        var receipt = Tip.NewReceipt(county);
        var id = Guid.CreateVersion7(clock.GetUtcNow());
        var decision = command.Decide(id, receipt, registry, protector.AsEncryptor(FieldBinding.Contact(county, id)), ChinaTime.Today(clock.GetUtcNow()));
        if (decision.Refusal is { } refusal) return refusal.ToResult();

        session.LastModifiedBy = "public";
        session.SetHeader(ActorMiddleware.RoleHeader, "anonymous");
        session.Events.StartStream<Tip>(id, decision.Events.ToArray());
        await session.SaveChangesAsync(ct); // no token, so no tenant from the request: this session is the tip's county's own
        return Results.Created($"/api/tips/status?receipt={receipt}", new TipReceipt(receipt, TipStatus.Received, Codes.LabelOf(TipStatus.Received)));
    }
}

/// <summary>What a reporter learns with the receipt — the state, and nothing else.</summary>
public sealed record TipState(string Receipt, TipStatus Status, string StatusLabel, DateOnly ReceivedOn, bool Rectified);

public static class GetTipStatus
{
    [WolverineGet("/api/tips/status")]
    [AllowAnonymous]
    [NotTenanted]
    [EnableRateLimiting(SubmitTipEndpoint.RateLimit)]
    [ProducesResponseType<TipState>(200)]
    public static async Task<IResult> Get(string? receipt, IDocumentStore store, CancellationToken ct)
    {
        var county = receipt?.Split('-')[0] ?? "";
        if (!Counties.IsValidCode(county)) return ProblemAnswers.NotFound("no tip with that receipt").ToResult();
        await using var session = store.QuerySession(county);
        var hash = Tip.HashReceipt(receipt!);
        var tip = await session.Query<Tip>().FirstOrDefaultAsync(t => t.ReceiptHash == hash, ct);
        if (tip is null) return ProblemAnswers.NotFound("no tip with that receipt").ToResult();
        var finding = await session.Query<Projections.Cases.CaseView>().FirstOrDefaultAsync(c => c.SourceTipId == tip.Id, ct);
        var status = finding is not null ? TipStatus.FindingRecorded : tip.Status;
        return Results.Ok(new TipState(receipt!.Trim().ToUpperInvariant(), status, Codes.LabelOf(status), tip.ReceivedOn,
            finding?.Rectification?.Stage == Domain.Rectifications.RectificationStage.Closed));
    }
}
