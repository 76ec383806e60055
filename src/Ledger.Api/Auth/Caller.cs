using System.Security.Claims;

namespace Ledger.Api.Auth;

/// <summary>Who is calling, read from the validated token.</summary>
public sealed record Caller(string User, string Role, string? Scope, string County)
{
    public static Caller From(ClaimsPrincipal principal) => new(
        principal.FindFirstValue(LedgerClaims.User) ?? "",
        principal.FindFirstValue(LedgerClaims.Role) ?? "",
        principal.FindFirstValue(LedgerClaims.Scope),
        principal.FindFirstValue(LedgerClaims.County) ?? "");
}
