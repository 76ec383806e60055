using Ledger.Domain.Access;
using System.Security.Claims;
using Ledger.Domain.Common;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Ledger.Api.Auth;

/// <summary>
/// Makes signed tokens: for the <c>token</c> CLI command and for tests. Every token carries an id
/// (<c>jti</c>, by which it can be revoked) and lives at most <see cref="MaxLifetime"/>.
/// </summary>
public sealed class TokenIssuer(JwtSettings settings, TimeProvider clock)
{
    /// <summary>The longest a token lives: a working day and then some; a lost token is useless by the next day.</summary>
    public static readonly TimeSpan MaxLifetime = TimeSpan.FromHours(24);

    /// <summary>The id (<c>jti</c>) a token carries, or null when it names none.</summary>
    public static string? IdOf(string token) => new JsonWebToken(token).Id is { Length: > 0 } id ? id : null;

    public string Issue(string user, string role, string? scope = null, string county = Counties.Xinfeng, TimeSpan? lifetime = null)
    {
        if (lifetime is { } asked && (asked <= TimeSpan.Zero || asked > MaxLifetime))
            throw new ArgumentException($"a token lives more than 0 and at most {MaxLifetime.TotalHours:0} hours", nameof(lifetime));
        if (string.IsNullOrWhiteSpace(user)) throw new ArgumentException("a user name is required", nameof(user));
        if (!Roles.All.Contains(role)) throw new ArgumentException($"unknown role '{role}'; roles: {string.Join(", ", Roles.All)}", nameof(role));
        if (!Counties.IsValidCode(county)) throw new ArgumentException($"county '{county}' must be a 6-digit statistics code", nameof(county));
        if (role == Roles.Respondent && string.IsNullOrWhiteSpace(scope))
            throw new ArgumentException("a respondent token needs --scope: town:<code> or unit:<code>, what it answers for", nameof(scope));
        if (!string.IsNullOrWhiteSpace(scope) && !Scope.TryParse(scope, out _))
            throw new ArgumentException($"scope '{scope}' must be typed: town:<code> or unit:<code>", nameof(scope));

        var claims = new List<Claim>
        {
            new(LedgerClaims.User, user),
            new(LedgerClaims.Role, role),
            new(LedgerClaims.County, county),
            new(LedgerClaims.TokenId, Guid.CreateVersion7(clock.GetUtcNow()).ToString()),
        };
        if (!string.IsNullOrWhiteSpace(scope)) claims.Add(new Claim(LedgerClaims.Scope, scope));

        var now = clock.GetUtcNow();
        var descriptor = new SecurityTokenDescriptor
        {
            Subject = new ClaimsIdentity(claims),
            Issuer = settings.Issuer,
            Audience = settings.Audience,
            IssuedAt = now.UtcDateTime,
            NotBefore = now.UtcDateTime,
            Expires = now.Add(lifetime ?? TimeSpan.FromHours(12)).UtcDateTime,
            SigningCredentials = new SigningCredentials(settings.Key(), SecurityAlgorithms.HmacSha256),
        };
        return new JsonWebTokenHandler().CreateToken(descriptor);
    }
}
