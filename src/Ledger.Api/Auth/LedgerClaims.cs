using System.Security.Claims;
using Ledger.Domain.Access;

namespace Ledger.Api.Auth;

/// <summary>The claim names inside a Ledger token.</summary>
public static class LedgerClaims
{
    public const string User = "sub";
    public const string Role = "role";
    /// <summary>The town code or unit code a respondent answers for.</summary>
    public const string Scope = "scope";
    /// <summary>The county's statistics code: the tenant the caller works in.</summary>
    public const string County = "county";
    /// <summary>The token's own id, by which it is revoked.</summary>
    public const string TokenId = "jti";
}

/// <summary>The caller as the validated token names them.</summary>
public static class CallerClaims
{
    public static Caller From(ClaimsPrincipal principal) => new(
        principal.FindFirstValue(LedgerClaims.User) ?? "",
        principal.FindFirstValue(LedgerClaims.Role) ?? "",
        principal.FindFirstValue(LedgerClaims.Scope),
        principal.FindFirstValue(LedgerClaims.County) ?? "");
}
