using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;

namespace Ledger.Api.Security;

/// <summary>What an encrypted field is bound to: its county, its record and the field's name (AES-GCM associated data).</summary>
public sealed record FieldBinding(string County, string Record, string Field)
{
    /// <summary>A household's ID number.</summary>
    public static FieldBinding IdNumber(string county, Guid householdId) => new(county, $"household/{householdId}", "idNumber");

    /// <summary>A tip's contact.</summary>
    public static FieldBinding Contact(string county, Guid tipId) => new(county, $"tip/{tipId}", "contact");

    public byte[] AssociatedData() => Encoding.UTF8.GetBytes($"ledger-field-v2\n{County}\n{Record}\n{Field}");
}

/// <summary>A decrypted field, or why it could not be decrypted (the value then stays withheld).</summary>
public sealed record Unprotected(string? Value, string? Problem)
{
    public bool Readable => Problem is null;
}

/// <summary>
/// Encrypts personal data kept in events (household ID numbers, tip contacts) with AES-256-GCM.
/// Keys (32 bytes, base64) are named: <c>Ledger:Crypto:Keys:&lt;id&gt;</c>, the one named by
/// <c>Ledger:Crypto:CurrentKeyId</c> encrypting, every other one still decrypting. The single
/// <c>Ledger:Crypto:Key</c> of earlier versions (./run.sh makes one) is a key too, under an id derived
/// from it, and the current one when no other is named. A ciphertext is <c>v2:&lt;key id&gt;:&lt;base64 of
/// nonce | tag | cipher&gt;</c>, bound by associated data to its county, record and field
/// (<see cref="FieldBinding"/>): copied onto another record it does not decrypt. Ciphertexts of
/// earlier versions (bare base64, no key id, no associated data) still decrypt under whichever
/// configured key made them. Keys are read from configuration on each use, so a reloaded
/// configuration takes effect without a restart. Without any key personal data is refused, never
/// stored in clear; a ciphertext that cannot be decrypted is reported, never thrown.
/// </summary>
public sealed partial class FieldProtector
{
    public const string ConfigurationKey = "Ledger:Crypto:Key";
    public const string KeysSection = "Ledger:Crypto:Keys";
    public const string CurrentKeyIdSetting = "Ledger:Crypto:CurrentKeyId";
    private const string Prefix = "v2:";
    private const int NonceBytes = 12, TagBytes = 16;
    private readonly IConfiguration _configuration;

    public FieldProtector(IConfiguration configuration)
    {
        _configuration = configuration;
        _ = KeyRing.From(configuration); // a malformed key stops the start, not a request later
    }

    /// <summary>Whether a key to encrypt with is configured.</summary>
    public bool Enabled => KeyRing.From(_configuration).Current is not null;

    /// <summary>The id of the key new ciphertexts are made under (null without keys).</summary>
    public string? CurrentKeyId => KeyRing.From(_configuration).Current;

    /// <summary>The key id a ciphertext names; null for one of earlier versions, which names none.</summary>
    public static string? KeyIdOf(string protectedText) =>
        protectedText.StartsWith(Prefix, StringComparison.Ordinal) && protectedText.IndexOf(':', Prefix.Length) is var end and > 0
            ? protectedText[Prefix.Length..end] : null;

    /// <summary>The id <c>Ledger:Crypto:Key</c> goes by: derived from the key, so the same key always has the same id.</summary>
    public static string DerivedId(byte[] key) =>
        "k" + Convert.ToHexStringLower(SHA256.HashData([.. "ledger-crypto-key-id\n"u8, .. key]))[..10];

    public string Protect(string plain, FieldBinding binding)
    {
        var ring = KeyRing.From(_configuration);
        if (ring.Current is not { } id) throw new InvalidOperationException($"no {ConfigurationKey} or {KeysSection} configured");
        var nonce = RandomNumberGenerator.GetBytes(NonceBytes);
        var data = Encoding.UTF8.GetBytes(plain);
        var cipher = new byte[data.Length];
        var tag = new byte[TagBytes];
        using var aes = new AesGcm(ring.Keys[id], TagBytes);
        aes.Encrypt(nonce, data, cipher, tag, binding.AssociatedData());
        return $"{Prefix}{id}:{Convert.ToBase64String([.. nonce, .. tag, .. cipher])}";
    }

    /// <summary>Decrypts, or says why not: an unknown key, a damaged ciphertext, or one bound to another record.</summary>
    public Unprotected Unprotect(string protectedText, FieldBinding binding)
    {
        var ring = KeyRing.From(_configuration);
        if (protectedText.StartsWith(Prefix, StringComparison.Ordinal))
        {
            var id = KeyIdOf(protectedText);
            if (id is null) return new(null, "密文损坏 (the ciphertext is damaged: it names no key)");
            if (!ring.Keys.TryGetValue(id, out var key))
                return new(null, $"密钥未配置 (the value is encrypted under key '{id}', which is not configured)");
            return Bytes(protectedText[(Prefix.Length + id.Length + 1)..]) is { } bytes && Decrypt(key, bytes, binding.AssociatedData()) is { } plain
                ? new(plain, null)
                : new(null, $"密文无法解密 (the value under key '{id}' is damaged or belongs to another record)");
        }
        // Earlier versions: no key id and no associated data, made under the single Ledger:Crypto:Key.
        if (Bytes(protectedText) is not { } legacy) return new(null, "密文损坏 (the ciphertext is damaged)");
        foreach (var id in ring.LegacyFirst())
            if (Decrypt(ring.Keys[id], legacy, null) is { } plain) return new(plain, null);
        return new(null, "密文无法解密 (a value of an earlier version that no configured key decrypts)");
    }

    private static byte[]? Bytes(string base64)
    {
        var buffer = new byte[base64.Length];
        return Convert.TryFromBase64String(base64, buffer, out var written) && written >= NonceBytes + TagBytes ? buffer[..written] : null;
    }

    private static string? Decrypt(byte[] key, byte[] bytes, byte[]? associatedData)
    {
        var plain = new byte[bytes.Length - NonceBytes - TagBytes];
        using var aes = new AesGcm(key, TagBytes);
        try
        {
            aes.Decrypt(bytes.AsSpan(0, NonceBytes), bytes.AsSpan(NonceBytes + TagBytes), bytes.AsSpan(NonceBytes, TagBytes), plain, associatedData);
            return Encoding.UTF8.GetString(plain);
        }
        catch (AuthenticationTagMismatchException)
        {
            return null;
        }
    }

    [GeneratedRegex("^[A-Za-z0-9_-]{1,32}$")]
    private static partial Regex KeyIdPattern();

    /// <summary>The configured keys by id, the current one, and the id of the single legacy key if any.</summary>
    private sealed record KeyRing(IReadOnlyDictionary<string, byte[]> Keys, string? Current, string? Legacy)
    {
        public IEnumerable<string> LegacyFirst() => Legacy is null ? Keys.Keys : [Legacy, .. Keys.Keys.Where(k => k != Legacy)];

        public static KeyRing From(IConfiguration configuration)
        {
            var keys = new Dictionary<string, byte[]>(StringComparer.Ordinal);
            foreach (var child in configuration.GetSection(KeysSection).GetChildren())
            {
                if (string.IsNullOrWhiteSpace(child.Value)) continue;
                if (!KeyIdPattern().IsMatch(child.Key))
                    throw new InvalidOperationException($"{KeysSection}: key id '{child.Key}' must be 1–32 letters, digits, '-' or '_'");
                keys[child.Key] = Parse(child.Value, $"{KeysSection}:{child.Key}");
            }
            string? legacy = null;
            if (configuration[ConfigurationKey] is { Length: > 0 } single && !string.IsNullOrWhiteSpace(single))
            {
                var key = Parse(single, ConfigurationKey);
                legacy = DerivedId(key);
                keys.TryAdd(legacy, key);
            }
            var named = configuration[CurrentKeyIdSetting];
            string? current;
            if (!string.IsNullOrWhiteSpace(named))
                current = keys.ContainsKey(named) ? named
                    : throw new InvalidOperationException($"{CurrentKeyIdSetting} names key '{named}', which is not among the configured keys");
            else if (legacy is not null) current = legacy;
            else if (keys.Count == 1) current = keys.Keys.Single();
            else if (keys.Count == 0) current = null;
            else throw new InvalidOperationException($"{KeysSection} holds several keys: set {CurrentKeyIdSetting} to the one that encrypts");
            return new KeyRing(keys, current, legacy);
        }

        private static byte[] Parse(string text, string name)
        {
            byte[] key;
            try { key = Convert.FromBase64String(text.Trim()); }
            catch (FormatException) { throw new InvalidOperationException($"{name} must be 32 bytes in base64"); }
            return key.Length == 32 ? key : throw new InvalidOperationException($"{name} must be 32 bytes in base64");
        }
    }
}
