using Ledger.Domain.Access;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Ledger.Api.Auth;
using Ledger.Tests.Fixtures;

namespace Ledger.Tests.Audit;

public sealed class TamperEvidenceTests(LedgerFixture fixture) : IntegrationTest(fixture)
{
    private async Task<JsonElement> Verify(string query = "") => await Given.GetJson($"/api/ledger/verify{query}");

    private async Task<long> EventCount() => await Fixture.EventCountAsync();

    private async Task<JsonElement> SettledDigest()
    {
        await Given.SampleRegistry();
        await Fixture.SettledAsync();
        return await Given.GetJson("/api/ledger/digest");
    }

    [Fact]
    public async Task An_untouched_ledger_verifies_and_its_digest_covers_every_event()
    {
        var digest = await SettledDigest();
        Assert.Equal(await EventCount(), digest.GetProperty("treeSize").GetInt64());
        Assert.Equal(64, digest.GetProperty("headHash").GetString()!.Length);
        var result = await Verify();
        Assert.True(result.GetProperty("intact").GetBoolean());
        Assert.Equal(digest.GetProperty("treeSize").GetInt64(), result.GetProperty("checked").GetInt64());
        Assert.Equal(JsonValueKind.Null, result.GetProperty("firstBroken").ValueKind);

        // The same ledger gives the same digest; more events give a new one.
        Assert.Equal(digest.GetProperty("merkleRoot").GetString(), (await Given.GetJson("/api/ledger/digest")).GetProperty("merkleRoot").GetString());
    }

    [Fact]
    public async Task A_changed_event_is_named()
    {
        var digest = await SettledDigest();
        var target = digest.GetProperty("lastSequence").GetInt64() - 3;
        await Fixture.ExecuteAsync($"update ledger.mt_events set data = jsonb_set(data, '{{Name}}', '\"篡改村\"') where seq_id = {target}");
        var broken = (await Verify()).GetProperty("firstBroken");
        Assert.Equal(target, broken.GetProperty("sequence").GetInt64());
        Assert.Equal("changed", broken.GetProperty("kind").GetString());
    }

    [Fact]
    public async Task A_deleted_event_is_named()
    {
        var digest = await SettledDigest();
        var target = digest.GetProperty("lastSequence").GetInt64();   // the last event has nothing depending on it
        await Fixture.ExecuteAsync($"delete from ledger.mt_events where seq_id = {target}");
        var result = await Verify();
        Assert.False(result.GetProperty("intact").GetBoolean());
        Assert.Equal((target, "deleted"), (result.GetProperty("firstBroken").GetProperty("sequence").GetInt64(),
            result.GetProperty("firstBroken").GetProperty("kind").GetString()));
    }

    [Fact]
    public async Task Reordered_events_are_named()
    {
        var digest = await SettledDigest();
        var a = digest.GetProperty("lastSequence").GetInt64() - 5;
        var b = a + 1;
        await Fixture.SwapEventsAsync(a, b);
        var broken = (await Verify()).GetProperty("firstBroken");
        Assert.Equal((a, "reordered"), (broken.GetProperty("sequence").GetInt64(), broken.GetProperty("kind").GetString()));
        Assert.Contains($"was chained at {b}", broken.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task An_event_slipped_into_a_gap_is_named()
    {
        await Given.SampleRegistry();
        // Leave a gap in the sequence, then write and chain one more event after it.
        await Fixture.ExecuteAsync("select setval('ledger.mt_events_sequence', (select max(seq_id) from ledger.mt_events) + 5)");
        await Given.ImportCsv("town_code,name,kind\n440233199,新镇,town\n", Fixture.Token(Roles.PovertyOffice));
        await Fixture.SettledAsync();
        var digest = await Given.GetJson("/api/ledger/digest");
        var gap = digest.GetProperty("lastSequence").GetInt64() - 2;
        await Fixture.ExecuteAsync($"""
            insert into ledger.mt_events (seq_id, id, stream_id, version, data, type, timestamp, tenant_id, mt_dotnet_type)
            select {gap}, gen_random_uuid(), stream_id, 99, data, type, timestamp, tenant_id, mt_dotnet_type
            from ledger.mt_events where seq_id = {digest.GetProperty("lastSequence").GetInt64()}
            """);
        var broken = (await Verify()).GetProperty("firstBroken");
        Assert.Equal((gap, "inserted"), (broken.GetProperty("sequence").GetInt64(), broken.GetProperty("kind").GetString()));
    }

    [Fact]
    public async Task Chain_entries_cannot_be_updated_or_deleted()
    {
        await SettledDigest();
        var update = await Assert.ThrowsAnyAsync<Exception>(() => Fixture.ExecuteAsync("update ledger.ledger_chain set chain_hash = repeat('0', 64)"));
        Assert.Contains("append-only", update.Message);
        await Assert.ThrowsAnyAsync<Exception>(() => Fixture.ExecuteAsync("delete from ledger.ledger_chain"));
        Assert.True((await Verify()).GetProperty("intact").GetBoolean());
    }

    [Fact]
    public async Task Verification_can_be_limited_to_a_range()
    {
        var digest = await SettledDigest();
        var last = digest.GetProperty("lastSequence").GetInt64();
        await Fixture.ExecuteAsync($"update ledger.mt_events set user_name = 'mallory' where seq_id = {last}");
        Assert.True((await Verify($"?from=1&to={last - 1}")).GetProperty("intact").GetBoolean());
        Assert.False((await Verify($"?from={last}&to={last}")).GetProperty("intact").GetBoolean());
        Assert.Equal(400, (await Given.Get("/api/ledger/verify?from=5&to=2", Fixture.Token(Roles.Reviewer))).StatusCode);
        Assert.Equal(403, (await Given.Get("/api/ledger/verify", Fixture.Token(Roles.Inspector))).StatusCode);
    }

    [Fact]
    public async Task An_inclusion_proof_checks_by_an_independent_procedure_and_fails_for_a_changed_event()
    {
        var digest = await SettledDigest();
        var size = digest.GetProperty("treeSize").GetInt64();
        var root = digest.GetProperty("merkleRoot").GetString()!;
        var sequence = digest.GetProperty("lastSequence").GetInt64() - 7;

        var proof = await Given.GetJson($"/api/ledger/proof/{sequence}?digest={size}:{root}");
        var e = proof.GetProperty("event");
        Assert.Equal("ledger-event-v2", e.GetProperty("format").GetString());
        Assert.True(IndependentCheck(e, proof, root));

        // The same proof with one character of the event changed no longer reaches the root.
        var node = System.Text.Json.Nodes.JsonNode.Parse(e.GetRawText())!;
        node["data"] = node["data"]!.GetValue<string>().Replace("440233", "440234");
        var changed = JsonDocument.Parse(node.ToJsonString()).RootElement;
        Assert.False(IndependentCheck(changed, proof, root));

        Assert.Equal(409, (await Given.Get($"/api/ledger/proof/{sequence}?digest={size}:{new string('a', 64)}", Fixture.Token(Roles.Reviewer))).StatusCode);
        Assert.Equal(400, (await Given.Get($"/api/ledger/proof/{sequence}", Fixture.Token(Roles.Reviewer))).StatusCode);
        // Another county's reviewer asks in that county's own log, which has no digest of this size.
        Assert.Equal(409, (await Given.Get($"/api/ledger/proof/{sequence}?digest={size}:{root}", Fixture.Token(Roles.Reviewer, county: "440229"))).StatusCode);
    }

    /// <summary>
    /// The reviewer's procedure of docs/audit.md, written here without the ledger's code: hash the
    /// event's lines, make the leaf, climb the path (RFC 9162 §2.1.3.2), compare with the root.
    /// </summary>
    private static bool IndependentCheck(JsonElement e, JsonElement proof, string expectedRoot)
    {
        string[] lines =
        [
            e.GetProperty("format").GetString()!, e.GetProperty("sequence").GetInt64().ToString(), e.GetProperty("id").GetString()!,
            e.GetProperty("streamId").GetString()!, e.GetProperty("version").GetInt64().ToString(), e.GetProperty("type").GetString()!,
            e.GetProperty("tenantId").GetString()!, e.GetProperty("timestamp").GetString()!, e.GetProperty("userName").GetString()!,
            e.GetProperty("correlationId").GetString()!, e.GetProperty("causationId").GetString()!,
            e.GetProperty("archived").GetBoolean() ? "true" : "false", e.GetProperty("headers").GetString()!, e.GetProperty("data").GetString()!,
        ];
        var content = SHA256.HashData(Encoding.UTF8.GetBytes(string.Join("\n", lines)));
        var hash = SHA256.HashData(new byte[] { 0 }.Concat(content).ToArray());
        long index = proof.GetProperty("leafIndex").GetInt64(), last = proof.GetProperty("treeSize").GetInt64() - 1;
        foreach (var step in proof.GetProperty("auditPath").EnumerateArray().Select(p => Convert.FromHexString(p.GetString()!)))
        {
            if (last == 0) return false;
            if (index % 2 == 1 || index == last)
            {
                hash = SHA256.HashData(new byte[] { 1 }.Concat(step).Concat(hash).ToArray());
                while (index % 2 == 0 && index != 0) { index /= 2; last /= 2; }
            }
            else hash = SHA256.HashData(new byte[] { 1 }.Concat(hash).Concat(step).ToArray());
            index /= 2;
            last /= 2;
        }
        return last == 0 && Convert.ToHexStringLower(hash) == expectedRoot;
    }
}
