using Ledger.Api.Identification;
using Ledger.Api.Security;
using Ledger.Api.Tips;
using Ledger.Domain.Access;
using Ledger.Domain.Tips;
using Ledger.Tests.Fixtures;
using Microsoft.Extensions.Configuration;
using static Ledger.Tests.Fixtures.Scenarios;

namespace Ledger.Tests.Security;

/// <summary>Key ids, rotation and re-encryption of the personal data kept in events, through HTTP.</summary>
public sealed class EncryptedFieldTests(LedgerFixture fixture) : IntegrationTest(fixture)
{
    private const string IdNumber = "44023319800101123X";
    private const string Contact = "13800138000 李举报";
    private static readonly string KeyB = Convert.ToBase64String(Enumerable.Range(201, 32).Select(i => (byte)i).ToArray());

    private IConfiguration Configuration => Host.Services.GetRequiredService<IConfiguration>();

    /// <summary>Changes the host's keys for the length of a test (keys are read on each use), and puts the fixture's back.</summary>
    private async Task WithKeys(Func<Task> test)
    {
        try
        {
            await test();
        }
        finally
        {
            Configuration[FieldProtector.ConfigurationKey] = LedgerFixture.CryptoKey;
            Configuration[$"{FieldProtector.KeysSection}:b"] = null;
            Configuration[FieldProtector.CurrentKeyIdSetting] = null;
        }
    }

    private async Task<string?> ContactShown() => (await Given.Get<List<TipForHandler>>("/api/tips", Roles.PovertyOffice)).Single().Contact;

    private async Task<IdNumberAnswer> Reveal(string code)
    {
        var version = (await Given.Get<HouseholdAnswer>($"/api/households/{code}", Roles.PovertyOffice)).Version;
        return await Expect<IdNumberAnswer>(await Given.PostJson($"/api/households/{code}/id-number",
            new { expectedVersion = version, reason = "核对低保申请" }, Given.PovertyOffice), 200);
    }

    private async Task<List<string>> StoredCiphertexts(string sql)
    {
        await using var connection = Fixture.Store.Storage.Database.CreateConnection();
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        var found = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync()) found.Add(reader.GetString(0));
        return found;
    }

    [Fact]
    public async Task Data_written_under_key_A_reads_after_B_is_made_current_and_after_reencrypt_without_A()
    {
        await Given.SampleRegistry();
        var keyA = FieldProtector.DerivedId(Convert.FromBase64String(LedgerFixture.CryptoKey));
        await Given.Household("H-101", idNumber: IdNumber);
        await Expect(await Given.Post("/api/tips", new SubmitTip(null, "危房改造补助被截留", null, null, Contact), null), 201);
        Assert.All(await StoredCiphertexts("select data->>'IdNumberEncrypted' from ledger.mt_doc_household union all select data->>'ContactEncrypted' from ledger.mt_doc_tip"),
            c => Assert.StartsWith($"v2:{keyA}:", c));

        await WithKeys(async () =>
        {
            // B made current, A kept: old values read, new ones are written under B.
            Configuration[$"{FieldProtector.KeysSection}:b"] = KeyB;
            Configuration[FieldProtector.CurrentKeyIdSetting] = "b";
            Assert.Equal(IdNumber, (await Reveal("H-101")).IdNumber);
            Assert.Equal(Contact, await ContactShown());
            await Given.Household("H-102", idNumber: "440233199001011234");
            Assert.StartsWith("v2:b:", (await StoredCiphertexts(
                "select data->>'IdNumberEncrypted' from ledger.mt_doc_household where data->>'Code' = 'H-102'")).Single());

            // Re-encrypt (what `ledger reencrypt` runs): two values move to B, one was already there.
            var before = await Fixture.EventCountAsync();
            var result = Assert.Single(await Host.Services.GetRequiredService<Reencryption>().RunAsync(null, "cli:test", CancellationToken.None));
            Assert.Equal(("440233", "b", 2, 1), (result.County, result.KeyId, result.Reencrypted, result.AlreadyCurrent));
            Assert.Empty(result.Unreadable);
            Assert.Equal(before + 2, await Fixture.EventCountAsync());
            // The events are not rewritten: the registration still holds the ciphertext under A.
            Assert.StartsWith($"v2:{keyA}:", (await StoredCiphertexts(
                "select data->>'IdNumberEncrypted' from ledger.mt_events where type = 'household_registered' and data->>'HouseholdCode' = 'H-101'")).Single());

            // A removed: everything still reads, through the correction events' ciphertexts.
            Configuration[FieldProtector.ConfigurationKey] = null;
            Assert.Equal(IdNumber, (await Reveal("H-101")).IdNumber);
            Assert.Equal("440233199001011234", (await Reveal("H-102")).IdNumber);
            Assert.Equal(Contact, await ContactShown());
            var again = Assert.Single(await Host.Services.GetRequiredService<Reencryption>().RunAsync("440233", "cli:test", CancellationToken.None));
            Assert.Equal((0, 3), (again.Reencrypted, again.AlreadyCurrent));
        });
    }

    [Fact]
    public async Task A_value_no_configured_key_opens_is_withheld_with_the_reason_and_the_read_still_answers()
    {
        await Given.SampleRegistry();
        await Given.Household("H-103", idNumber: IdNumber);
        await Expect(await Given.Post("/api/tips", new SubmitTip(null, "帮扶资金被挪用", null, null, Contact), null), 201);
        await Expect(await Given.Post("/api/tips", new SubmitTip(null, "无联系方式的举报", null, null, null), null), 201);

        await WithKeys(async () =>
        {
            // A key change without re-encryption: the old key dropped. Not a 500 for everyone.
            Configuration[$"{FieldProtector.KeysSection}:b"] = KeyB;
            Configuration[FieldProtector.ConfigurationKey] = null;
            var tips = await Given.Get<List<TipForHandler>>("/api/tips", Roles.PovertyOffice);
            Assert.Equal(2, tips.Count);
            var withheld = tips.Single(t => t.Description == "帮扶资金被挪用");
            Assert.Null(withheld.Contact);
            Assert.Contains("not configured", withheld.ContactWithheld);
            Assert.Null(tips.Single(t => t.Description == "无联系方式的举报").ContactWithheld);

            var before = await Fixture.EventCountAsync();
            var problem = await Expect(await Given.PostJson("/api/households/H-103/id-number",
                new { expectedVersion = 2, reason = "核对" }, Given.PovertyOffice), 503);
            Assert.Contains("not configured", problem.GetProperty("detail").GetString());
            Assert.Equal(before, await Fixture.EventCountAsync());
            var reencrypt = Assert.Single(await Host.Services.GetRequiredService<Reencryption>().RunAsync(null, "cli:test", CancellationToken.None));
            Assert.Equal(2, reencrypt.Unreadable.Count);
            Assert.Equal(before, await Fixture.EventCountAsync());
        });
    }

    [Fact]
    public async Task A_ciphertext_copied_onto_another_record_or_damaged_in_the_database_is_withheld()
    {
        await Given.SampleRegistry();
        await Expect(await Given.Post("/api/tips", new SubmitTip(null, "第一条", null, null, Contact), null), 201);
        await Expect(await Given.Post("/api/tips", new SubmitTip(null, "第二条", null, null, "13900139000"), null), 201);

        // An attacker with write access to the documents copies one tip's contact onto the other: it does not open there.
        await Fixture.ExecuteAsync("""
            update ledger.mt_doc_tip t set data = jsonb_set(t.data, '{ContactEncrypted}', s.data->'ContactEncrypted')
            from ledger.mt_doc_tip s where t.data->>'Description' = '第二条' and s.data->>'Description' = '第一条'
            """);
        var tips = await Given.Get<List<TipForHandler>>("/api/tips", Roles.PovertyOffice);
        Assert.Equal(Contact, tips.Single(t => t.Description == "第一条").Contact);
        var moved = tips.Single(t => t.Description == "第二条");
        Assert.Null(moved.Contact);
        Assert.Contains("another record", moved.ContactWithheld);

        // A truncated ciphertext: withheld, the list still answers.
        await Fixture.ExecuteAsync("update ledger.mt_doc_tip set data = jsonb_set(data, '{ContactEncrypted}', '\"AAAA\"') where data->>'Description' = '第一条'");
        var damaged = (await Given.Get<List<TipForHandler>>("/api/tips", Roles.PovertyOffice)).Single(t => t.Description == "第一条");
        Assert.Null(damaged.Contact);
        Assert.Contains("damaged", damaged.ContactWithheld);
    }
}
