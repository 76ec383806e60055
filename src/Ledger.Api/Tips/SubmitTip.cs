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

/// <summary>受理群众举报: what happened, where if known (town and/or village), and an optional contact.</summary>
public sealed record SubmitTip(string? County, string? Description, string? Town, string? Village, string? Contact);

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
    [ProducesResponseType<ProblemDetails>(400)]
    [ProducesResponseType<ProblemDetails>(413)]
    [ProducesResponseType<ProblemDetails>(429)]
    public static async Task<IResult> Post(SubmitTip command, IDocumentStore store, FieldProtector protector, TimeProvider clock, CancellationToken ct)
    {
        var county = string.IsNullOrWhiteSpace(command.County) ? Counties.Xinfeng : command.County.Trim();
        if (!Counties.IsValidCode(county)) return ProblemAnswers.BadRequest("county must be a 6-digit statistics code").ToResult();
        await using var session = store.LightweightSession(county);
        var registry = await RegistryReader.LoadAsync(session, [command.Town], [], [command.Village], ct);

        var checks = new Checks();
        checks.Text(command.Description, "description (what happened)", Checks.LongText);
        checks.Text(command.Contact, "contact", Checks.ShortText, required: false);
        var town = string.IsNullOrWhiteSpace(command.Town) ? null : command.Town.Trim();
        var village = string.IsNullOrWhiteSpace(command.Village) ? null : command.Village.Trim();
        checks.That(town is null || registry.Towns.ContainsKey(town), $"unknown town code '{town}'");
        checks.That(village is null || registry.Villages.ContainsKey(village), $"unknown village code '{village}'");
        if (village is not null && registry.Villages.TryGetValue(village, out var known))
        {
            checks.That(town is null || known.TownCode == town, $"village {village} lies in town {known.TownCode}");
            town ??= known.TownCode;
        }
        checks.That(string.IsNullOrWhiteSpace(command.Contact) || protector.Enabled, "contacts are kept only encrypted, and no key is configured");
        if (checks.ToRefusal() is { } invalid) return invalid.ToResult();

        var receipt = Tip.NewReceipt(county);
        var id = Guid.CreateVersion7(clock.GetUtcNow());
        session.LastModifiedBy = "public";
        session.SetHeader(ActorMiddleware.RoleHeader, "anonymous");
        session.Events.StartStream<Tip>(id, new TipReceived(id, Tip.HashReceipt(receipt), command.Description!.Trim(), town, village,
            string.IsNullOrWhiteSpace(command.Contact) ? null : protector.Protect(command.Contact.Trim()), ChinaTime.Today(clock.GetUtcNow())));
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
    [ProducesResponseType<ProblemDetails>(404)]
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
