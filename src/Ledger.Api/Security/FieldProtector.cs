using System.Security.Cryptography;
using System.Text;

namespace Ledger.Api.Security;

/// <summary>
/// Encrypts personal data kept in events (household ID numbers, tip contacts) with AES-256-GCM
/// under the key in <c>Ledger:Crypto:Key</c> (32 bytes, base64; ./run.sh makes one). Without a
/// key such data is refused, never stored in clear.
/// </summary>
public sealed class FieldProtector
{
    public const string ConfigurationKey = "Ledger:Crypto:Key";
    private readonly byte[]? _key;

    public FieldProtector(IConfiguration configuration)
    {
        var text = configuration[ConfigurationKey];
        if (string.IsNullOrWhiteSpace(text)) return;
        var key = Convert.FromBase64String(text);
        if (key.Length != 32) throw new InvalidOperationException($"{ConfigurationKey} must be 32 bytes in base64");
        _key = key;
    }

    public bool Enabled => _key is not null;

    public string Protect(string plain)
    {
        if (_key is null) throw new InvalidOperationException($"no {ConfigurationKey} configured");
        var nonce = RandomNumberGenerator.GetBytes(12);
        var data = Encoding.UTF8.GetBytes(plain);
        var cipher = new byte[data.Length];
        var tag = new byte[16];
        using var aes = new AesGcm(_key, 16);
        aes.Encrypt(nonce, data, cipher, tag);
        return Convert.ToBase64String([.. nonce, .. tag, .. cipher]);
    }

    public string Unprotect(string protectedText)
    {
        if (_key is null) throw new InvalidOperationException($"no {ConfigurationKey} configured");
        var bytes = Convert.FromBase64String(protectedText);
        var plain = new byte[bytes.Length - 28];
        using var aes = new AesGcm(_key, 16);
        aes.Decrypt(bytes.AsSpan(0, 12), bytes.AsSpan(28), bytes.AsSpan(12, 16), plain);
        return Encoding.UTF8.GetString(plain);
    }
}
