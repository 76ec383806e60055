using System.Security.Cryptography;
using Ledger.Domain.Audit;

namespace Ledger.Domain.Tests.Audit;

public sealed class TreeHeadSignatureTests
{
    private static readonly TreeHead Head = new("Marten", 42, new string('a', 64), new string('b', 64), 57,
        new DateTimeOffset(2026, 11, 28, 10, 0, 0, TimeSpan.Zero).AddTicks(1234560));

    [Fact]
    public void The_signed_text_is_the_seven_documented_lines()
    {
        Assert.Equal($"ledger-tree-head-v2\nMarten\n42\n{new string('a', 64)}\n{new string('b', 64)}\n57\n2026-11-28T10:00:00.123456Z", Head.CanonicalText);
    }

    [Fact]
    public void A_signature_verifies_with_the_public_key_and_fails_after_any_field_changes()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var signature = TreeHeadSignature.Sign(Head, key);
        using var reader = ECDsa.Create();
        reader.ImportFromPem(TreeHeadSignature.PublicKeyPem(key));
        Assert.True(TreeHeadSignature.Verify(Head, signature, reader));

        TreeHead[] changed =
        [
            Head with { County = "Other" },
            Head with { TreeSize = 41 },
            Head with { MerkleRoot = new string('c', 64) },
            Head with { ChainHead = new string('c', 64) },
            Head with { LastSequence = 58 },
            Head with { Time = Head.Time.AddTicks(10) },
        ];
        foreach (var head in changed) Assert.False(TreeHeadSignature.Verify(head, signature, reader), head.ToString());

        var flipped = (byte[])signature.Clone();
        flipped[^1] ^= 1;
        Assert.False(TreeHeadSignature.Verify(Head, flipped, reader));
        using var other = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        Assert.False(TreeHeadSignature.Verify(Head, signature, other));
    }

    [Fact]
    public void The_key_loads_from_pkcs8_pem_or_base64_and_only_p256_is_taken()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var fromPem = TreeHeadSignature.LoadPrivateKey(key.ExportPkcs8PrivateKeyPem());
        using var fromBase64 = TreeHeadSignature.LoadPrivateKey(Convert.ToBase64String(key.ExportPkcs8PrivateKey()));
        Assert.Equal(TreeHeadSignature.KeyId(key), TreeHeadSignature.KeyId(fromPem));
        Assert.Equal(TreeHeadSignature.KeyId(key), TreeHeadSignature.KeyId(fromBase64));
        Assert.True(TreeHeadSignature.Verify(Head, TreeHeadSignature.Sign(Head, fromBase64), key));

        using var p384 = ECDsa.Create(ECCurve.NamedCurves.nistP384);
        Assert.ThrowsAny<CryptographicException>(() => TreeHeadSignature.LoadPrivateKey(p384.ExportPkcs8PrivateKeyPem()));
    }
}
