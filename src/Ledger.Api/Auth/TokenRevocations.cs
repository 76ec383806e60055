using System.Security.Claims;
using JasperFx.MultiTenancy;
using Ledger.Api.Http;
using Ledger.Api.Writes;
using Ledger.Domain.Access;
using Ledger.Domain.Common;
using Marten;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.IdentityModel.JsonWebTokens;
using Wolverine.Http;

namespace Ledger.Api.Auth;

/// <summary>
/// What a token must be beyond a valid signature, issuer and lifetime: it carries an id, lives no
/// longer than <see cref="TokenIssuer.MaxLifetime"/>, and is not on its county's revocation list
/// (one look-up by id, on each request). Otherwise the answer is 401.
/// </summary>
public static class TokenChecks
{
    private static readonly TimeSpan Tolerance = TimeSpan.FromMinutes(1);

    public static async Task OnTokenValidated(TokenValidatedContext context)
    {
        var principal = context.Principal!;
        if (CallerClaims.Refusal(principal) is { } why)
        {
            context.Fail(why);
            return;
        }
        var tokenId = principal.FindFirstValue(LedgerClaims.TokenId);
        if (string.IsNullOrEmpty(tokenId))
        {
            context.Fail("the token carries no id (jti); ask for a new one");
            return;
        }
        if (context.SecurityToken is JsonWebToken token && token.ValidTo - token.IssuedAt > TokenIssuer.MaxLifetime + Tolerance)
        {
            context.Fail($"the token lives longer than {TokenIssuer.MaxLifetime.TotalHours:0} hours");
            return;
        }
        var county = principal.FindFirstValue(LedgerClaims.County) ?? "";
        if (!Counties.IsValidCode(county)) return; // refused further on: the county is the tenant every route needs
        try
        {
            await using var session = context.HttpContext.RequestServices.GetRequiredService<IDocumentStore>().QuerySession(county);
            if (await session.LoadAsync<RevokedToken>(RevokeToken.IdOf(county, tokenId), context.HttpContext.RequestAborted) is not null)
                context.Fail("the token was revoked");
            else if (await Accounts.AccountChecks.RefusalAsync(context.HttpContext, CallerClaims.From(principal), sessionIssued: null) is { } refused)
                context.Fail(refused);   // the account behind the token was disabled or its rights changed
        }
        catch (UnknownTenantIdException)
        {
            // No database holds the county, so no list either: every route refuses it further on (403, as before).
        }
    }
}

/// <summary>
/// 吊销令牌: the offices put a token (by its id, printed by <c>token</c> when it is issued) on the
/// county's revocation list; every request with it is refused from then on. The <c>token revoke</c>
/// CLI command does the same.
/// </summary>
public static class RevokeTokenEndpoint
{
    [WolverinePost("/api/tokens/revocations")]
    [Authorize(Roles = $"{Roles.InspectionOffice},{Roles.PovertyOffice}")]
    [ProducesResponseType<WriteAnswer>(201)]
    public static Task<IResult> Post(RevokeToken command, Write write) =>
        write.ToKnown<RevokedToken>(RevokeToken.IdOf(write.County, command.TokenId?.Trim() ?? ""),
            (existing, _) => command.Decide(write.County, existing, write.Today), "/api/tokens/revocations");

    /// <summary>The same, outside a request (the CLI): appends as <paramref name="actor"/> with the role <c>system</c>.</summary>
    public static async Task<Refusal?> RevokeAsync(IDocumentStore store, string county, RevokeToken command, string actor, DateOnly today,
        CancellationToken ct)
    {
        await using var session = store.LightweightSession(county);
        session.LastModifiedBy = actor;
        session.SetHeader(ActorMiddleware.RoleHeader, "system");
        var stream = await session.Events.FetchForWriting<RevokedToken>(RevokeToken.IdOf(county, command.TokenId?.Trim() ?? ""), ct);
        var decision = command.Decide(county, stream.Aggregate, today);
        if (decision.Refusal is { } refusal) return refusal;
        stream.AppendMany(decision.Events);
        await session.SaveChangesAsync(ct);
        return null;
    }
}
