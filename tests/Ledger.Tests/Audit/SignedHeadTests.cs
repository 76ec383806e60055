using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Ledger.Api.Audit;
using Ledger.Api.Health;
using Ledger.Api.Storage;
using Ledger.Domain.Access;
using Ledger.Domain.Audit;
using Ledger.Tests.Fixtures;
using Marten;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging.Abstractions;

namespace Ledger.Tests.Audit;

/// <summary>
/// Signed tree heads against an operator who controls the database: real events through the API,
/// a head signed, then the chain truncated or rewritten directly in PostgreSQL. The chain writer
/// refuses to chain over the head, /health answers 503, verification names the head; and a head
/// kept outside (the witness directory, or a reviewer's copy) exposes what the database no longer shows.
/// </summary>
public sealed class SignedHeadTests(LedgerFixture fixture) : IntegrationTest(fixture)
{
    private string Reviewer => Fixture.Token(Roles.Reviewer);

    /// <summary>The sample registry through the API, chained, and a head signed on demand.</summary>
    private async Task<JsonElement> SignedHeadOfTheRegistry()
    {
        await Given.SampleRegistry();
        await Fixture.SettledAsync();
        return await MakeHead();
    }

    private async Task<JsonElement> MakeHead() => await Scenarios.Expect(await Given.Send(HttpMethod.Post, "/api/ledger/heads", Reviewer), 200);

    /// <summary>More events through the API (one new town), settled.</summary>
    private async Task MoreEvents(string code = "440233199")
    {
        await Scenarios.Expect(await Given.ImportCsv($"town_code,name,kind\n{code},新镇{code[^2..]},town\n", Fixture.Token(Roles.PovertyOffice)), 200);
        await Fixture.SettledAsync();
    }

    /// <summary>Lets the chain writer run as its background loop does.</summary>
    private Task<int> WriterRuns() => Fixture.Host.Services.GetRequiredService<HashChain>().CatchUpAsync(CancellationToken.None);

    private async Task<JsonElement> Verify() => await Given.GetJson("/api/ledger/verify");

    private async Task<long> ChainEntries() => await ScalarAsync<long>($"select count(*) from {HashChain.Table}");

    private async Task<T> ScalarAsync<T>(string sql)
    {
        var database = (await Fixture.Store.DatabasesAsync()).Single();
        await using var connection = await database.OpenConnectionAsync(CancellationToken.None);
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return (T)(await command.ExecuteScalarAsync())!;
    }

    private int WitnessFiles() => Directory.GetFiles(Fixture.WitnessDirectory, "*.json", SearchOption.AllDirectories).Length;

    private static long Size(JsonElement head) => head.GetProperty("treeSize").GetInt64();
    private static string Root(JsonElement head) => head.GetProperty("merkleRoot").GetString()!;

    /// <summary>The operator chains the stored events again from genesis, county by county, with the ledger's own published hashing.</summary>
    private async Task OperatorRechainsByHand()
    {
        var database = (await Fixture.Store.DatabasesAsync()).Single();
        await using var connection = await LedgerFixture.OwnerConnectionAsync(database);
        var events = await HashChain.ReadEventsAsync(connection, null, 1, long.MaxValue, CancellationToken.None);
        var ends = new Dictionary<string, (long Leaf, string Head)>();
        foreach (var e in events)
        {
            var (leaf, head) = ends.GetValueOrDefault(e.TenantId, (-1, LedgerHashing.Genesis));
            var content = LedgerHashing.ContentHash(e);
            ends[e.TenantId] = (leaf + 1, LedgerHashing.ChainHash(head, content));
            await using var insert = connection.CreateCommand();
            insert.CommandText = $"insert into {HashChain.Table} (seq_id, tenant_id, leaf_index, content_hash, body_hash, chain_hash) values ($1, $2, $3, $4, $5, $6)";
            foreach (var value in new object[] { e.Sequence, e.TenantId, leaf + 1, content, LedgerHashing.BodyHash(e), ends[e.TenantId].Head })
                insert.Parameters.Add(new Npgsql.NpgsqlParameter { Value = value });
            await insert.ExecuteNonQueryAsync();
        }
    }

    private async Task<string> Health()
    {
        var health = await Given.Get("/health", null);
        var text = await health.ReadAsTextAsync();
        return $"{health.StatusCode} {text}";
    }

    [Fact]
    public async Task A_head_is_signed_served_witnessed_and_checks_with_the_public_key_by_the_documented_text()
    {
        var head = await SignedHeadOfTheRegistry();
        Assert.Equal(await Fixture.EventCountAsync(), Size(head));

        // The signed text, put together by the test from the fields as docs/audit.md says.
        var text = string.Join('\n', "ledger-tree-head-v2", head.GetProperty("county").GetString(), Size(head), Root(head),
            head.GetProperty("chainHead").GetString(), head.GetProperty("lastSequence").GetInt64(), head.GetProperty("time").GetString());
        Assert.Equal(text, head.GetProperty("signedText").GetString());

        var pem = await Given.Get("/api/ledger/public-key", null);   // anyone, no token
        Assert.Equal(200, pem.StatusCode);
        using var publicKey = ECDsa.Create();
        publicKey.ImportFromPem(await pem.ReadAsTextAsync());
        var signature = Convert.FromBase64String(head.GetProperty("signature").GetString()!);
        Assert.True(publicKey.VerifyData(Encoding.UTF8.GetBytes(text), signature, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence));
        Assert.False(publicKey.VerifyData(Encoding.UTF8.GetBytes(text.Replace($"\n{Size(head)}\n", $"\n{Size(head) - 1}\n")), signature,
            HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence));

        // And with openssl, as docs/audit.md shows a reviewer.
        var folder = Directory.CreateTempSubdirectory("ledger-head-check-").FullName;
        try
        {
            await File.WriteAllTextAsync(Path.Combine(folder, "ledger.pem"), await pem.ReadAsTextAsync());
            await File.WriteAllBytesAsync(Path.Combine(folder, "head.txt"), Encoding.UTF8.GetBytes(text));
            await File.WriteAllBytesAsync(Path.Combine(folder, "head.sig"), signature);
            var openssl = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("openssl",
                ["dgst", "-sha256", "-verify", "ledger.pem", "-signature", "head.sig", "head.txt"])
            {
                WorkingDirectory = folder, RedirectStandardOutput = true, RedirectStandardError = true,
            })!;
            var output = await openssl.StandardOutput.ReadToEndAsync() + await openssl.StandardError.ReadToEndAsync();
            await openssl.WaitForExitAsync();
            Assert.Equal("Verified OK", output.Trim());
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }

        // Served as the latest and by its size; made again without growth, it is the same head.
        Assert.Equal(head.GetRawText(), (await Given.GetJson("/api/ledger/heads")).GetRawText());
        Assert.Equal(head.GetRawText(), (await Given.GetJson($"/api/ledger/heads?size={Size(head)}")).GetRawText());
        Assert.Equal(head.GetRawText(), (await MakeHead()).GetRawText());
        Assert.Equal(404, (await Given.Get($"/api/ledger/heads?size={Size(head) + 1000}", Reviewer)).StatusCode);

        // And written outside the database, one file per head (the writer may have made an earlier one on its own).
        var file = Assert.Single(Directory.GetFiles(Fixture.WitnessDirectory, $"{Size(head):D20}.json", SearchOption.AllDirectories));
        var witnessed = JsonDocument.Parse(await File.ReadAllTextAsync(file)).RootElement;
        Assert.Equal((Root(head), head.GetProperty("signature").GetString()), (Root(witnessed), witnessed.GetProperty("signature").GetString()));

        Assert.Contains("heads signed", await Health());
    }

    [Theory]
    [InlineData("truncate ledger.ledger_chain")]
    [InlineData("""
        alter table ledger.ledger_chain disable trigger ledger_chain_append_only;
        delete from ledger.ledger_chain where seq_id > (select min(seq_id) + 2 from ledger.ledger_chain);
        alter table ledger.ledger_chain enable trigger ledger_chain_append_only
        """)]
    public async Task A_chain_cut_below_a_signed_head_stops_the_writer_and_is_reported(string attack)
    {
        var head = await SignedHeadOfTheRegistry();
        var (witnessed, stored) = (WitnessFiles(), await ScalarAsync<long>($"select count(*) from {TreeHeads.Table}"));
        await Fixture.ExecuteAsync(attack);
        var left = await ChainEntries();
        Assert.True(left < Size(head));

        // New events keep coming; the writer runs, and refuses to chain over the head.
        await MoreEvents();
        await WriterRuns();
        Assert.Equal(left, await ChainEntries());

        var result = await Verify();
        Assert.False(result.GetProperty("intact").GetBoolean());
        var alarm = result.GetProperty("alarm");
        Assert.Equal(("truncated", Size(head)), (alarm.GetProperty("kind").GetString(), alarm.GetProperty("headSize").GetInt64()));
        Assert.StartsWith($"chain truncated below signed head {Size(head)}", alarm.GetProperty("detail").GetString());

        var health = await Given.Get("/health", null);
        Assert.Equal(503, health.StatusCode);
        Assert.Equal("application/problem+json", health.ContentType);
        Assert.Contains($"chain truncated below signed head {Size(head)}", await health.ReadAsTextAsync());

        // No new head is made over the cut chain: refused, and the newest is still the old one.
        var refused = await Given.Send(HttpMethod.Post, "/api/ledger/heads", Reviewer);
        Assert.Equal(409, refused.StatusCode);
        Assert.Contains($"signed head {Size(head)}", await refused.ReadAsTextAsync());
        Assert.Equal(Root(head), Root(await Given.GetJson("/api/ledger/heads")));
        Assert.Equal(witnessed, WitnessFiles());
        Assert.Equal(stored, await ScalarAsync<long>($"select count(*) from {TreeHeads.Table}"));
    }

    [Fact]
    public async Task Events_deleted_after_a_head_are_named_and_the_chain_stays_with_the_head()
    {
        var head = await SignedHeadOfTheRegistry();
        var last = head.GetProperty("lastSequence").GetInt64();
        await Fixture.ExecuteAsync($"delete from ledger.mt_events where seq_id > {last - 2}");
        await WriterRuns();

        var result = await Verify();
        Assert.False(result.GetProperty("intact").GetBoolean());
        Assert.Equal(2, result.GetProperty("problems").GetInt32());
        var broken = result.GetProperty("firstBroken");
        Assert.Equal((last - 1, "deleted"), (broken.GetProperty("sequence").GetInt64(), broken.GetProperty("kind").GetString()));
        Assert.Equal(JsonValueKind.Null, result.GetProperty("alarm").ValueKind);   // the chain itself still holds what was signed
        Assert.Equal(Size(head), await ChainEntries());
    }

    [Fact]
    public async Task An_edit_hidden_by_emptying_the_chain_and_the_heads_table_is_exposed_by_the_witness()
    {
        var head = await SignedHeadOfTheRegistry();
        var target = head.GetProperty("lastSequence").GetInt64() - 4;
        await Fixture.ExecuteAsync($$"""
            update ledger.mt_events set data = jsonb_set(data, '{Name}', '"篡改村"') where seq_id = {{target}};
            truncate ledger.ledger_chain, ledger.ledger_heads
            """);
        await WriterRuns();

        // The database holds no head any more; the witness does, and the writer keeps to it.
        Assert.Equal(0L, await ScalarAsync<long>($"select count(*) from {TreeHeads.Table}"));
        Assert.Equal(0L, await ChainEntries());
        Assert.Equal(Root(head), Root(await Given.GetJson("/api/ledger/heads")));
        var alarm = (await Verify()).GetProperty("alarm");
        Assert.StartsWith($"chain truncated below signed head {Size(head)}", alarm.GetProperty("detail").GetString());

        // The operator chains the edited events again by hand, by the published rules: every link
        // follows, but the chain's root at the head's size is not the head's.
        await OperatorRechainsByHand();
        var result = await Verify();
        Assert.False(result.GetProperty("intact").GetBoolean());
        // The edited event's seal (made with a key the operator does not hold) breaks too, where it was edited.
        Assert.Equal(("mac-mismatch", target),
            (result.GetProperty("firstBroken").GetProperty("kind").GetString(), result.GetProperty("firstBroken").GetProperty("sequence").GetInt64()));
        alarm = result.GetProperty("alarm");
        Assert.Equal(("inconsistent", Size(head), Size(head)),
            (alarm.GetProperty("kind").GetString(), alarm.GetProperty("headSize").GetInt64(), alarm.GetProperty("atSize").GetInt64()));
        Assert.StartsWith($"chain inconsistent with signed head {Size(head)} at size {Size(head)}", alarm.GetProperty("detail").GetString());
        Assert.Contains($"chain inconsistent with signed head {Size(head)}", await Health());
        Assert.StartsWith("503", await Health());
    }

    [Fact]
    public async Task An_edit_between_two_heads_is_located_between_them()
    {
        var first = await SignedHeadOfTheRegistry();
        await MoreEvents();
        var second = await MakeHead();
        Assert.True(Size(second) > Size(first));

        // Edit an event the second head covers but the first does not, and rewrite the chain over it.
        var target = second.GetProperty("lastSequence").GetInt64();
        await Fixture.ExecuteAsync($$"""
            update ledger.mt_events set data = jsonb_set(data, '{Name}', '"篡改镇"') where seq_id = {{target}};
            truncate ledger.ledger_chain
            """);
        await OperatorRechainsByHand();
        var alarm = (await Verify()).GetProperty("alarm");
        Assert.Equal(Size(second), alarm.GetProperty("atSize").GetInt64());
        Assert.Contains($"lies among chain entries {Size(first) + 1}–{Size(second)}", alarm.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task Two_honest_heads_are_consistent_and_a_rewritten_chain_is_not_consistent_with_a_saved_head()
    {
        var first = await SignedHeadOfTheRegistry();
        await MoreEvents("440233198");
        await MoreEvents("440233199");
        var second = await MakeHead();

        var answer = await Given.GetJson($"/api/ledger/consistency?from={Size(first)}&to={Size(second)}");
        Assert.Equal((Root(first), Root(second)), (answer.GetProperty("fromRoot").GetString(), answer.GetProperty("toRoot").GetString()));
        var proof = answer.GetProperty("proof").EnumerateArray().Select(p => Convert.FromHexString(p.GetString()!)).ToList();
        Assert.True(MerkleTree.VerifyConsistency(Size(first), Size(second), Convert.FromHexString(Root(first)), Convert.FromHexString(Root(second)), proof));

        // The strongest operator: edits an early event, empties chain, heads table and witness, and
        // lets the writer chain everything again. Every link of the new chain follows; only the event's
        // seal (a key the operator does not hold) still breaks...
        var target = first.GetProperty("lastSequence").GetInt64() - 10;
        await Fixture.ExecuteAsync($$"""
            update ledger.mt_events set data = jsonb_set(data, '{Name}', '"篡改村"') where seq_id = {{target}};
            truncate ledger.ledger_chain, ledger.ledger_heads
            """);
        Directory.Delete(Fixture.WitnessDirectory, recursive: true);
        await WriterRuns();
        var verified = await Verify();
        Assert.Equal(("mac-mismatch", target),
            (verified.GetProperty("firstBroken").GetProperty("kind").GetString(), verified.GetProperty("firstBroken").GetProperty("sequence").GetInt64()));
        Assert.Equal(1, verified.GetProperty("problems").GetInt32());

        // ...and, for one who held that key too, the chain is not consistent with the head the reviewer saved.
        var after = await Given.GetJson($"/api/ledger/consistency?from={Size(first)}&to={Size(second)}");
        Assert.NotEqual(Root(first), after.GetProperty("fromRoot").GetString());
        var newProof = after.GetProperty("proof").EnumerateArray().Select(p => Convert.FromHexString(p.GetString()!)).ToList();
        Assert.False(MerkleTree.VerifyConsistency(Size(first), Size(second), Convert.FromHexString(Root(first)),
            Convert.FromHexString(after.GetProperty("toRoot").GetString()!), newProof));
        Assert.NotEqual(Root(second), after.GetProperty("toRoot").GetString());

        Assert.Equal(400, (await Given.Get("/api/ledger/consistency?from=5&to=2", Reviewer)).StatusCode);
        Assert.Equal(409, (await Given.Get($"/api/ledger/consistency?from=1&to={Size(second) + 1000}", Reviewer)).StatusCode);
    }

    [Fact]
    public async Task Without_a_key_heads_are_unsigned_and_health_says_so()
    {
        using var heads = new TreeHeads(new AuditSettings(), TimeProvider.System, NullLogger<TreeHeads>.Instance);
        Assert.False(heads.Signed);
        Assert.Null(heads.PublicKeyPem);
        var result = await new ChainHeadsHealthCheck(heads).CheckHealthAsync(new HealthCheckContext());
        Assert.Equal(HealthStatus.Healthy, result.Status);
        Assert.Contains("heads UNSIGNED", result.Description);

        Assert.Throws<InvalidOperationException>(() =>
            new TreeHeads(new AuditSettings { SigningKey = "not a key" }, TimeProvider.System, NullLogger<TreeHeads>.Instance));
    }
}
