using System.Security.Claims;
using Ledger.Domain.Access;
using Microsoft.AspNetCore.Authentication.JwtBearer;

namespace Ledger.Api.Auth;

/// <summary>The claim names inside a Ledger token.</summary>
public static class LedgerClaims
{
    public const string User = "sub";
    public const string Role = "role";
    /// <summary>What a respondent answers for, typed: <c>town:&lt;code&gt;</c> or <c>unit:&lt;code&gt;</c> (<see cref="Domain.Access.Scope"/>).</summary>
    public const string Scope = "scope";
    /// <summary>The county's statistics code: the tenant the caller works in.</summary>
    public const string County = "county";
    /// <summary>The token's own id, by which it is revoked.</summary>
    public const string TokenId = "jti";
}

/// <summary>The caller as the validated token names them.</summary>
public static class CallerClaims
{
    /// <summary>The caller; a scope claim that is not typed (<c>town:…</c>/<c>unit:…</c>) gives no scope, hence no respondent rights.</summary>
    public static Caller From(ClaimsPrincipal principal) => new(
        principal.FindFirstValue(LedgerClaims.User) ?? "",
        principal.FindFirstValue(LedgerClaims.Role) ?? "",
        Domain.Access.Scope.TryParse(principal.FindFirstValue(LedgerClaims.Scope), out var scope) ? scope : null,
        principal.FindFirstValue(LedgerClaims.County) ?? "");

    /// <summary>
    /// Why a validly signed token is still refused (401), or null: a scope claim that is not typed — a
    /// legacy bare code, which could name a town or a unit alike — or a respondent without a scope.
    /// </summary>
    public static string? Refusal(ClaimsPrincipal principal)
    {
        var scope = principal.FindFirstValue(LedgerClaims.Scope);
        if (scope is not null && !Domain.Access.Scope.TryParse(scope, out _))
            return $"the token's scope '{scope}' is not typed: it must be town:<code> or unit:<code>; ask for a new token";
        if (principal.FindFirstValue(LedgerClaims.Role) == Roles.Respondent && scope is null)
            return "a respondent's token needs a scope: town:<code> or unit:<code>";
        return null;
    }

    /// <summary>The bearer events that apply <see cref="Refusal"/> once the signature and lifetime are checked.</summary>
    public static JwtBearerEvents Events() => new()
    {
        OnTokenValidated = context =>
        {
            if (context.Principal is { } principal && Refusal(principal) is { } why) context.Fail(why);
            return Task.CompletedTask;
        },
    };
}
