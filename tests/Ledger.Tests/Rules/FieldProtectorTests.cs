using System.Security.Cryptography;
using System.Text;
using Ledger.Api.Security;
using Microsoft.Extensions.Configuration;

namespace Ledger.Tests.Rules;

/// <summary>The field protector's key ring, binding and errors, without a host.</summary>
public sealed class FieldProtectorTests
{
    private static readonly byte[] KeyA = Enumerable.Range(1, 32).Select(i => (byte)i).ToArray();
    private static readonly byte[] KeyB = Enumerable.Range(51, 32).Select(i => (byte)i).ToArray();
    private static readonly FieldBinding Binding = FieldBinding.IdNumber("440233", Guid.Parse("0197a3f0-0000-7000-8000-000000000001"));

    private static FieldProtector With(params (string Key, string? Value)[] settings) =>
        new(new ConfigurationBuilder().AddInMemoryCollection(settings.Select(s => new KeyValuePair<string, string?>(s.Key, s.Value))).Build());

    private static FieldProtector Single(byte[] key) => With((FieldProtector.ConfigurationKey, Convert.ToBase64String(key)));

    /// <summary>How earlier versions encrypted: nonce | tag | cipher in base64, no key id, no associated data.</summary>
    private static string EarlierCiphertext(byte[] key, string plain)
    {
        var nonce = RandomNumberGenerator.GetBytes(12);
        var data = Encoding.UTF8.GetBytes(plain);
        var cipher = new byte[data.Length];
        var tag = new byte[16];
        using var aes = new AesGcm(key, 16);
        aes.Encrypt(nonce, data, cipher, tag);
        return Convert.ToBase64String([.. nonce, .. tag, .. cipher]);
    }

    [Fact]
    public void A_ciphertext_names_its_key_and_the_single_key_goes_by_an_id_derived_from_it()
    {
        var protector = Single(KeyA);
        var cipher = protector.Protect("44023319800101123X", Binding);
        Assert.StartsWith($"v2:{FieldProtector.DerivedId(KeyA)}:", cipher);
        Assert.Equal(FieldProtector.DerivedId(KeyA), FieldProtector.KeyIdOf(cipher));
        Assert.NotEqual(FieldProtector.DerivedId(KeyA), FieldProtector.DerivedId(KeyB));
        Assert.Equal("44023319800101123X", protector.Unprotect(cipher, Binding).Value);
    }

    [Fact]
    public void Ciphertexts_of_earlier_versions_still_decrypt()
    {
        var earlier = EarlierCiphertext(KeyA, "13800138000");
        Assert.Null(FieldProtector.KeyIdOf(earlier));
        Assert.Equal("13800138000", Single(KeyA).Unprotect(earlier, Binding).Value);
        // Also when that key is now one of several, and not the current one.
        var ring = With((FieldProtector.ConfigurationKey, Convert.ToBase64String(KeyA)),
            ($"{FieldProtector.KeysSection}:b", Convert.ToBase64String(KeyB)), (FieldProtector.CurrentKeyIdSetting, "b"));
        Assert.Equal("13800138000", ring.Unprotect(earlier, Binding).Value);
    }

    [Fact]
    public void The_current_key_encrypts_and_older_keys_still_decrypt()
    {
        var before = Single(KeyA).Protect("secret", Binding);
        var ring = With((FieldProtector.ConfigurationKey, Convert.ToBase64String(KeyA)),
            ($"{FieldProtector.KeysSection}:b", Convert.ToBase64String(KeyB)), (FieldProtector.CurrentKeyIdSetting, "b"));
        Assert.Equal("b", ring.CurrentKeyId);
        Assert.Equal("secret", ring.Unprotect(before, Binding).Value);
        Assert.StartsWith("v2:b:", ring.Protect("secret", Binding));
        // Without key A, what A made is withheld with the reason, not thrown.
        var onlyB = With(($"{FieldProtector.KeysSection}:b", Convert.ToBase64String(KeyB)));
        var withheld = onlyB.Unprotect(before, Binding);
        Assert.Null(withheld.Value);
        Assert.Contains(FieldProtector.DerivedId(KeyA), withheld.Problem);
    }

    [Fact]
    public void A_ciphertext_is_bound_to_its_county_record_and_field()
    {
        var protector = Single(KeyA);
        var cipher = protector.Protect("44023319800101123X", Binding);
        Assert.False(protector.Unprotect(cipher, Binding with { County = "440234" }).Readable);
        Assert.False(protector.Unprotect(cipher, FieldBinding.IdNumber("440233", Guid.NewGuid())).Readable);
        Assert.False(protector.Unprotect(cipher, Binding with { Field = "contact" }).Readable);
    }

    [Theory]
    [InlineData("")]
    [InlineData("AAAA")]
    [InlineData("not base64 at all!")]
    [InlineData("v2:")]
    [InlineData("v2:nokey")]
    [InlineData("v2:kid:")]
    [InlineData("v2:kid:AAAA")]
    public void Short_garbled_or_unknown_key_ciphertexts_are_reported_not_thrown(string cipher)
    {
        var answer = Single(KeyA).Unprotect(cipher, Binding);
        Assert.Null(answer.Value);
        Assert.False(string.IsNullOrEmpty(answer.Problem));
    }

    [Fact]
    public void A_damaged_ciphertext_under_a_known_key_is_reported()
    {
        var protector = Single(KeyA);
        var cipher = protector.Protect("44023319800101123X", Binding);
        var flipped = cipher[..^3] + (cipher[^3] == 'A' ? 'B' : 'A') + cipher[^2..];
        Assert.False(protector.Unprotect(flipped, Binding).Readable);
    }

    [Fact]
    public void Several_keys_without_a_current_one_or_a_current_one_not_configured_stop_the_start()
    {
        Assert.Throws<InvalidOperationException>(() => With(($"{FieldProtector.KeysSection}:a", Convert.ToBase64String(KeyA)),
            ($"{FieldProtector.KeysSection}:b", Convert.ToBase64String(KeyB))));
        Assert.Throws<InvalidOperationException>(() => With(($"{FieldProtector.KeysSection}:a", Convert.ToBase64String(KeyA)),
            (FieldProtector.CurrentKeyIdSetting, "c")));
        Assert.Throws<InvalidOperationException>(() => With(($"{FieldProtector.KeysSection}:a", "c2hvcnQ=")));
        Assert.False(With().Enabled);
    }
}
