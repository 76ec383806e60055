using System.Text;
using Microsoft.IdentityModel.Tokens;

namespace Ledger.Api.Auth;

/// <summary>Token settings, from configuration section <c>Ledger:Jwt</c>.</summary>
public sealed class JwtSettings
{
    public const string Section = "Ledger:Jwt";

    /// <summary>At least 32 bytes of secret, as text or base64. run.sh makes a local one.</summary>
    public string SigningKey { get; set; } = "";
    /// <summary>
    /// Signing keys of a change-over: tokens signed with any of them are still accepted, new tokens are
    /// signed with <see cref="SigningKey"/> only. Remove them once every token they signed has expired
    /// (at most <see cref="TokenIssuer.MaxLifetime"/> after the change).
    /// </summary>
    public List<string> PreviousSigningKeys { get; set; } = [];
    public string Issuer { get; set; } = "ledger";
    public string Audience { get; set; } = "ledger";

    public static JwtSettings From(IConfiguration configuration)
    {
        var settings = configuration.GetSection(Section).Get<JwtSettings>() ?? new JwtSettings();
        if (Encoding.UTF8.GetByteCount(settings.SigningKey) < 32)
            throw new InvalidOperationException(
                $"{Section}:SigningKey must be set to a secret of at least 32 characters " +
                "(environment variable Ledger__Jwt__SigningKey; ./run.sh makes one in .local/jwt-key).");
        return settings;
    }

    public SymmetricSecurityKey Key() => new(Encoding.UTF8.GetBytes(SigningKey));

    /// <summary>Every key a token may be signed with: the current one, then those of a change-over.</summary>
    public IReadOnlyList<SecurityKey> ValidationKeys() =>
        [Key(), .. PreviousSigningKeys.Where(k => Encoding.UTF8.GetByteCount(k) >= 32).Select(k => new SymmetricSecurityKey(Encoding.UTF8.GetBytes(k)))];
}
