using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Ledger.Domain.Audit;

/// <summary>
/// A tree head: what one county's log held at a moment — the county's code, how many of its events
/// were chained (the tree size), the Merkle root over them, the chain head hash, the last sequence, and
/// when the head was made. Signed, it lets anyone who kept it catch a later truncation or rewrite
/// of the chain (see docs/audit.md, "Signed tree heads").
/// </summary>
public sealed record TreeHead(string County, long TreeSize, string MerkleRoot, string ChainHead, long LastSequence, DateTimeOffset Time)
{
    public const string Version = "ledger-tree-head-v2";

    /// <summary>The time as it is signed: UTC, whole microseconds (PostgreSQL's precision).</summary>
    public string TimeText => Time.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture);

    /// <summary>
    /// The exact text that is signed: seven lines joined with <c>\n</c>, UTF-8, no final newline —
    /// the version tag, county, tree size, Merkle root, chain head, last sequence, time.
    /// </summary>
    public string CanonicalText => string.Join('\n', Version, County, TreeSize.ToString(CultureInfo.InvariantCulture),
        MerkleRoot.ToLowerInvariant(), ChainHead.ToLowerInvariant(), LastSequence.ToString(CultureInfo.InvariantCulture), TimeText);

    /// <summary>A time cut to whole microseconds, so it reads back from PostgreSQL unchanged.</summary>
    public static DateTimeOffset Microseconds(DateTimeOffset time)
    {
        var utc = time.ToUniversalTime();
        return new DateTimeOffset(utc.Ticks - utc.Ticks % 10, TimeSpan.Zero);
    }
}

/// <summary>A tree head as served, stored and witnessed: the head, its signature (base64 of DER; null when unsigned) and the exact text signed.</summary>
public sealed record SignedHead(string County, long TreeSize, string MerkleRoot, string ChainHead, long LastSequence, string Time,
    string? Signature, string? KeyId, string SignedText)
{
    public static SignedHead Of(TreeHead head, byte[]? signature, string? keyId) => new(head.County, head.TreeSize, head.MerkleRoot,
        head.ChainHead, head.LastSequence, head.TimeText, signature is null ? null : Convert.ToBase64String(signature), keyId, head.CanonicalText);

    public TreeHead Head() => new(County, TreeSize, MerkleRoot.Trim(), ChainHead.Trim(), LastSequence,
        DateTimeOffset.Parse(Time, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal));
}

/// <summary>A consistency proof (RFC 9162 §2.1.4) between the chain's trees of two sizes.</summary>
public sealed record ConsistencyAnswer(long FromSize, long ToSize, string FromRoot, string ToRoot, IReadOnlyList<string> Proof);

/// <summary>
/// ECDSA P-256 with SHA-256 over a head's canonical text; signatures are DER (RFC 3279), as
/// <c>openssl dgst -sha256 -verify</c> reads them.
/// </summary>
public static class TreeHeadSignature
{
    public static byte[] Sign(TreeHead head, ECDsa key) =>
        key.SignData(Encoding.UTF8.GetBytes(head.CanonicalText), HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence);

    public static bool Verify(TreeHead head, byte[] signature, ECDsa publicKey)
    {
        try
        {
            return publicKey.VerifyData(Encoding.UTF8.GetBytes(head.CanonicalText), signature, HashAlgorithmName.SHA256,
                DSASignatureFormat.Rfc3279DerSequence);
        }
        catch (CryptographicException)
        {
            return false;
        }
    }

    /// <summary>
    /// The signing key from its configured text: PKCS#8 PEM (<c>-----BEGIN PRIVATE KEY-----</c>, or
    /// SEC1 <c>EC PRIVATE KEY</c>), or the base64 of the PKCS#8 DER. Only P-256 is taken.
    /// </summary>
    public static ECDsa LoadPrivateKey(string text)
    {
        var key = ECDsa.Create();
        try
        {
            if (text.Contains("-----BEGIN", StringComparison.Ordinal)) key.ImportFromPem(text);
            else key.ImportPkcs8PrivateKey(Convert.FromBase64String(text.Trim()), out _);
            var oid = key.ExportParameters(false).Curve.Oid;
            var p256 = oid.Value == "1.2.840.10045.3.1.7" || oid.FriendlyName is "nistP256" or "ECDSA_P256";
            if (key.KeySize != 256 || !p256) throw new CryptographicException("the key is not a P-256 (prime256v1) key");
            return key;
        }
        catch
        {
            key.Dispose();
            throw;
        }
    }

    /// <summary>The public key as PEM (SubjectPublicKeyInfo, <c>-----BEGIN PUBLIC KEY-----</c>).</summary>
    public static string PublicKeyPem(ECDsa key) => key.ExportSubjectPublicKeyInfoPem();

    /// <summary>The key's id: SHA-256 (hex) of its SubjectPublicKeyInfo DER.</summary>
    public static string KeyId(ECDsa key) => Convert.ToHexStringLower(SHA256.HashData(key.ExportSubjectPublicKeyInfo()));
}
