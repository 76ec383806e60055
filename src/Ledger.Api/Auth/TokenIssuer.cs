using Ledger.Domain.Access;
using System.Security.Claims;
using Ledger.Domain.Common;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Ledger.Api.Auth;

/// <summary>Makes signed tokens: for the <c>token</c> CLI command and for tests.</summary>
public sealed class TokenIssuer(JwtSettings settings, TimeProvider clock)
{
    public string Issue(string user, string role, string? scope = null, string county = Counties.Xinfeng, TimeSpan? lifetime = null)
    {
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
