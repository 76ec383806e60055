using System.Security.Cryptography;
using System.Text.Json;
using Ledger.Api.Audit;
using Ledger.Api.Storage;
using Ledger.Domain.Access;
using Ledger.Domain.Audit;
using Ledger.Domain.Common;
using Ledger.Tests.Fixtures;
using Marten;
using Npgsql;

namespace Ledger.Tests.Audit;

/// <summary>
/// One log per county, though two counties share the database (conjoined tenancy): each county's
/// events have leaf indices from 0, its digest, proofs and heads involve its events only, and what is
/// done to one county's events is reported to that county's reviewer, not to the other's. And the audit
/// bundle, read back from its zip.
/// </summary>
public sealed class CountyLogTests(LedgerFixture fixture) : IntegrationTest(fixture)
{
    private const string Wengyuan = "440229";
    private Scenarios Other => new(Fixture) { County = Wengyuan };

    private async Task TwoCountiesSettled()
    {
        await Given.SampleRegistry();
        await Other.SampleRegistry(Wengyuan);
        await Scenarios.Expect(await Given.ImportCsv("town_code,name,kind\n440233199,新镇,town\n", Fixture.Token(Roles.PovertyOffice)), 200);
        await Fixture.SettledAsync();
    }

    private async Task<T> ScalarAsync<T>(string sql, params object[] parameters)
    {
        var database = (await Fixture.Store.DatabasesAsync()).Single();
        await using var connection = await database.OpenConnectionAsync(CancellationToken.None);
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var parameter in parameters) command.Parameters.AddWithValue(parameter);
        return (T)(await command.ExecuteScalarAsync())!;
    }

    private Task<long> RowsOf(string county) => ScalarAsync<long>("select count(*) from ledger.mt_events where tenant_id = $1", county);

    private static (long Sequence, string Kind) First(JsonElement verification) =>
        (verification.GetProperty("firstBroken").GetProperty("sequence").GetInt64(), verification.GetProperty("firstBroken").GetProperty("kind").GetString()!);

    [Fact]
    public async Task Two_counties_in_one_database_each_have_a_log_of_their_own_events_from_leaf_zero()
    {
        await TwoCountiesSettled();
        await Given.GetJson("/api/ledger/digest");   // catches up

        foreach (var county in new[] { Counties.Xinfeng, Wengyuan })
        {
            // Leaf indices 0…n−1 for each county, n its events, in sequence order.
            var rows = await RowsOf(county);
            Assert.True(rows > 100);
            Assert.Equal((rows, 0L, rows - 1), (
                await ScalarAsync<long>($"select count(*) from {HashChain.Table} where tenant_id = $1", county),
                await ScalarAsync<long>($"select min(leaf_index) from {HashChain.Table} where tenant_id = $1", county),
                await ScalarAsync<long>($"select max(leaf_index) from {HashChain.Table} where tenant_id = $1", county)));
            Assert.Equal(0L, await ScalarAsync<long>($"""
                select count(*) from (select leaf_index, row_number() over (order by seq_id) - 1 as position from {HashChain.Table} where tenant_id = $1) t
                where leaf_index <> position
                """, county));
            Assert.Equal(0L, await ScalarAsync<long>(
                $"select count(*) from {HashChain.Table} c join ledger.mt_events e on e.seq_id = c.seq_id where c.tenant_id = $1 and e.tenant_id <> $1", county));
        }

        var (xinfeng, wengyuan) = (await Given.GetJson("/api/ledger/digest"), await Other.GetJson("/api/ledger/digest"));
        Assert.Equal((Counties.Xinfeng, await RowsOf(Counties.Xinfeng)), (xinfeng.GetProperty("county").GetString(), xinfeng.GetProperty("treeSize").GetInt64()));
        Assert.Equal((Wengyuan, await RowsOf(Wengyuan)), (wengyuan.GetProperty("county").GetString(), wengyuan.GetProperty("treeSize").GetInt64()));
        Assert.NotEqual(xinfeng.GetProperty("merkleRoot").GetString(), wengyuan.GetProperty("merkleRoot").GetString());

        // The root is the one of the county's own leaves.
        var leaves = new List<byte[]>();
        await using (var connection = await (await Fixture.Store.DatabasesAsync()).Single().OpenConnectionAsync(CancellationToken.None))
            leaves = await TreeHeads.LeavesAsync(connection, Wengyuan, long.MaxValue, CancellationToken.None);
        Assert.Equal(wengyuan.GetProperty("merkleRoot").GetString(), LedgerHashing.Hex(MerkleTree.Root(leaves)));

        // A proof of a Wengyuan event: its leaf index is Wengyuan's, in Wengyuan's tree; Xinfeng's reviewer is not given it.
        var sequence = await ScalarAsync<long>("select max(seq_id) from ledger.mt_events where tenant_id = $1", Wengyuan);
        var digest = $"{wengyuan.GetProperty("treeSize").GetInt64()}:{wengyuan.GetProperty("merkleRoot").GetString()}";
        var proof = await Other.GetJson($"/api/ledger/proof/{sequence}?digest={digest}");
        Assert.Equal(await RowsOf(Wengyuan) - 1, proof.GetProperty("leafIndex").GetInt64());
        Assert.Equal(Wengyuan, proof.GetProperty("event").GetProperty("tenantId").GetString());
        Assert.Equal(LedgerHashing.Hex(leaves[^1]), proof.GetProperty("leafHash").GetString());
        Assert.Equal(409, (await Given.Get($"/api/ledger/proof/{sequence}?digest={digest}", Fixture.Token(Roles.Reviewer))).StatusCode);
        var ownDigest = $"{xinfeng.GetProperty("treeSize").GetInt64()}:{xinfeng.GetProperty("merkleRoot").GetString()}";
        Assert.Equal(404, (await Given.Get($"/api/ledger/proof/{sequence}?digest={ownDigest}", Fixture.Token(Roles.Reviewer))).StatusCode);

        // Heads: each county signs its own log, witnessed under its own directory.
        var (headX, headW) = (await Scenarios.Expect(await Given.Send(HttpMethod.Post, "/api/ledger/heads", Fixture.Token(Roles.Reviewer)), 200),
            await Scenarios.Expect(await Other.Send(HttpMethod.Post, "/api/ledger/heads", Fixture.Token(Roles.Reviewer, county: Wengyuan)), 200));
        Assert.Equal((Counties.Xinfeng, xinfeng.GetProperty("treeSize").GetInt64(), xinfeng.GetProperty("merkleRoot").GetString()),
            (headX.GetProperty("county").GetString(), headX.GetProperty("treeSize").GetInt64(), headX.GetProperty("merkleRoot").GetString()));
        Assert.Equal((Wengyuan, wengyuan.GetProperty("treeSize").GetInt64()), (headW.GetProperty("county").GetString(), headW.GetProperty("treeSize").GetInt64()));
        Assert.StartsWith($"ledger-tree-head-v2\n{Wengyuan}\n", headW.GetProperty("signedText").GetString());
        Assert.Equal(headW.GetRawText(), (await Other.GetJson("/api/ledger/heads")).GetRawText());
        var heads = Fixture.Host.Services.GetRequiredService<TreeHeads>();
        var database = (await Fixture.Store.DatabasesAsync()).Single().NameOf();
        Assert.True(File.Exists(Path.Combine(heads.WitnessOf(database, Wengyuan)!, $"{headW.GetProperty("treeSize").GetInt64():D20}.json")));
        Assert.True(File.Exists(Path.Combine(heads.WitnessOf(database, Counties.Xinfeng)!, $"{headX.GetProperty("treeSize").GetInt64():D20}.json")));

        // More Xinfeng events: Xinfeng's log grows, Wengyuan's head stays as it was and its consistency proof is Wengyuan's.
        await Scenarios.Expect(await Given.ImportCsv("town_code,name,kind\n440233198,新镇二,town\n", Fixture.Token(Roles.PovertyOffice)), 200);
        await Fixture.SettledAsync();
        var grown = await Scenarios.Expect(await Given.Send(HttpMethod.Post, "/api/ledger/heads", Fixture.Token(Roles.Reviewer)), 200);
        Assert.True(grown.GetProperty("treeSize").GetInt64() > headX.GetProperty("treeSize").GetInt64());
        Assert.Equal(headW.GetRawText(), (await Scenarios.Expect(
            await Other.Send(HttpMethod.Post, "/api/ledger/heads", Fixture.Token(Roles.Reviewer, county: Wengyuan)), 200)).GetRawText());
        var consistency = await Given.GetJson($"/api/ledger/consistency?from={headX.GetProperty("treeSize").GetInt64()}&to={grown.GetProperty("treeSize").GetInt64()}");
        Assert.Equal((headX.GetProperty("merkleRoot").GetString(), grown.GetProperty("merkleRoot").GetString()),
            (consistency.GetProperty("fromRoot").GetString(), consistency.GetProperty("toRoot").GetString()));
        Assert.Equal(409, (await Other.Get($"/api/ledger/consistency?from=1&to={grown.GetProperty("treeSize").GetInt64()}",
            Fixture.Token(Roles.Reviewer, county: Wengyuan))).StatusCode);

        Assert.True((await Given.GetJson("/api/ledger/verify")).GetProperty("intact").GetBoolean());
        Assert.True((await Other.GetJson("/api/ledger/verify")).GetProperty("intact").GetBoolean());
    }

    [Fact]
    public async Task Tampering_with_one_county_is_reported_to_its_reviewer_and_not_to_the_other_county()
    {
        await TwoCountiesSettled();
        var before = await Other.GetJson("/api/ledger/digest");
        var target = await ScalarAsync<long>("select max(seq_id) from ledger.mt_events where tenant_id = $1 and type = 'village_registered'", Wengyuan);
        await Fixture.ExecuteAsync($"update ledger.mt_events set data = jsonb_set(data, '{{Name}}', '\"篡改村\"') where seq_id = {target}");

        var xinfeng = await Given.GetJson("/api/ledger/verify");
        Assert.True(xinfeng.GetProperty("intact").GetBoolean(), xinfeng.ToString());
        Assert.Equal(Counties.Xinfeng, xinfeng.GetProperty("county").GetString());
        Assert.Equal(await RowsOf(Counties.Xinfeng), xinfeng.GetProperty("checked").GetInt64());

        var wengyuan = await Other.GetJson("/api/ledger/verify");
        Assert.False(wengyuan.GetProperty("intact").GetBoolean());
        Assert.Equal((target, "changed"), First(wengyuan));
        Assert.Equal(before.GetProperty("merkleRoot").GetString(), (await Other.GetJson("/api/ledger/digest")).GetProperty("merkleRoot").GetString());
    }

    [Fact]
    public async Task The_bundle_holds_the_county_log_its_signed_head_heads_and_consistency_proofs_that_agree()
    {
        await TwoCountiesSettled();
        var early = await Scenarios.Expect(await Given.Send(HttpMethod.Post, "/api/ledger/heads", Fixture.Token(Roles.Reviewer)), 200);
        await Scenarios.Expect(await Given.ImportCsv("town_code,name,kind\n440233198,新镇二,town\n", Fixture.Token(Roles.PovertyOffice)), 200);
        await Fixture.SettledAsync();

        var bundle = BundleRead.From(await Given.Get("/api/ledger/bundle", Fixture.Token(Roles.InspectionOffice)));
        Assert.Equal([AuditBundle.ManifestFile, AuditBundle.EventsFile, AuditBundle.LeavesFile, AuditBundle.HeadsFile, AuditBundle.ConsistencyFile,
            AuditBundle.PublicKeyFile], bundle.Files);
        var (manifest, head) = (bundle.Manifest, bundle.Manifest.Head);
        Assert.Equal((AuditBundle.Format, Counties.Xinfeng, (DateOnly?)null, (DateOnly?)null), (manifest.Format, manifest.County, manifest.From, manifest.To));

        // A head was made now, of everything: the county's events only.
        var rows = await RowsOf(Counties.Xinfeng);
        Assert.Equal((Counties.Xinfeng, rows), (head.County, head.TreeSize));
        Assert.Equal((0L, rows - 1), (manifest.FirstLeaf, manifest.LastLeaf));
        Assert.Equal(head, (await Given.GetJson("/api/ledger/heads")).Deserialize<SignedHead>(AuditBundle.Json));

        // Its leaves give its root; its signature verifies with the ledger's public key (the test's own copy of it).
        Assert.Equal(rows, bundle.Leaves.Count);
        Assert.Equal(head.MerkleRoot, bundle.Root());
        using var key = ECDsa.Create();
        key.ImportFromPem(await (await Given.Get("/api/ledger/public-key", null)).ReadAsTextAsync());
        Assert.Equal(await (await Given.Get("/api/ledger/public-key", null)).ReadAsTextAsync(), bundle.PublicKeyPem);
        Assert.True(TreeHeadSignature.Verify(head.Head(), Convert.FromBase64String(head.Signature!), key));
        Assert.Equal(head.SignedText, head.Head().CanonicalText);

        // Every event, in leaf order, recomputes to its leaf; all of Xinfeng, none of Wengyuan.
        Assert.Equal(Enumerable.Range(0, (int)rows).Select(i => (long)i), bundle.Events.Select(e => e.LeafIndex));
        Assert.All(bundle.Events, e => Assert.Equal(Counties.Xinfeng, e.Event.TenantId));
        Assert.Empty(bundle.Wrong());
        Assert.Equal(bundle.Leaves[^1], BundleRead.Leaf(BundleRead.ContentHash(bundle.Events[^1].Event)));

        // The heads up to the bundle's, oldest first, each signed, each proved consistent with it.
        Assert.Equal(head, bundle.Heads[^1]);
        Assert.Contains(bundle.Heads, h => h.TreeSize == early.GetProperty("treeSize").GetInt64() && h.MerkleRoot == early.GetProperty("merkleRoot").GetString());
        Assert.All(bundle.Heads, h => Assert.True(TreeHeadSignature.Verify(h.Head(), Convert.FromBase64String(h.Signature!), key)));
        Assert.Equal(bundle.Heads.Take(bundle.Heads.Count - 1).Select(h => h.TreeSize), bundle.Consistency.Select(c => c.FromSize));
        foreach (var proof in bundle.Consistency)
        {
            var earlier = bundle.Heads.Single(h => h.TreeSize == proof.FromSize);
            Assert.Equal((earlier.MerkleRoot, head.TreeSize, head.MerkleRoot), (proof.FromRoot, proof.ToSize, proof.ToRoot));
            Assert.True(MerkleTree.VerifyConsistency(proof.FromSize, proof.ToSize, Convert.FromHexString(proof.FromRoot), Convert.FromHexString(proof.ToRoot),
                proof.Proof.Select(Convert.FromHexString).ToList()));
        }

        // Wengyuan's reviewer gets Wengyuan's log.
        var other = BundleRead.From(await Other.Get("/api/ledger/bundle", Fixture.Token(Roles.Reviewer, county: Wengyuan)));
        Assert.Equal((Wengyuan, await RowsOf(Wengyuan)), (other.Manifest.Head.County, other.Manifest.Head.TreeSize));
        Assert.All(other.Events, e => Assert.Equal(Wengyuan, e.Event.TenantId));
        Assert.Empty(other.Wrong());
    }

    [Fact]
    public async Task The_bundle_of_a_period_gives_the_leaves_of_its_days_in_China_time_and_refuses_what_is_not_a_period()
    {
        await TwoCountiesSettled();
        var today = DateOnly.FromDateTime(DateTimeOffset.UtcNow.ToOffset(TimeSpan.FromHours(8)).DateTime);
        var first = await ScalarAsync<DateTime>("select min(timestamp) from ledger.mt_events where tenant_id = $1", Counties.Xinfeng);
        var day = DateOnly.FromDateTime(new DateTimeOffset(first, TimeSpan.Zero).ToOffset(TimeSpan.FromHours(8)).DateTime);
        var token = Fixture.Token(Roles.PovertyOffice);

        var all = BundleRead.From(await Given.Get($"/api/ledger/bundle?from={day:yyyy-MM-dd}&to={today:yyyy-MM-dd}", token));
        Assert.Equal((day, today, 0L, all.Manifest.Head.TreeSize - 1), (all.Manifest.From, all.Manifest.To, all.Manifest.FirstLeaf, all.Manifest.LastLeaf));
        Assert.Equal(all.Manifest.Head.TreeSize, all.Events.Count);

        // A period after every event: no event, but the whole log's leaves, heads and proofs still.
        var later = BundleRead.From(await Given.Get($"/api/ledger/bundle?from={today.AddDays(1):yyyy-MM-dd}", token));
        Assert.True(later.Manifest.FirstLeaf > later.Manifest.LastLeaf);
        Assert.Empty(later.Events);
        Assert.Equal(later.Manifest.Head.TreeSize, later.Leaves.Count);
        var earlier = BundleRead.From(await Given.Get($"/api/ledger/bundle?to={day.AddDays(-1):yyyy-MM-dd}", token));
        Assert.Empty(earlier.Events);

        // The day of the first event, in China time: from its first leaf.
        var onlyDay = BundleRead.From(await Given.Get($"/api/ledger/bundle?to={day:yyyy-MM-dd}", token));
        Assert.Equal(0L, onlyDay.Manifest.FirstLeaf);
        Assert.All(onlyDay.Events, e => Assert.True(DateOnly.FromDateTime(DateTimeOffset.Parse(e.Event.Timestamp).ToOffset(TimeSpan.FromHours(8)).DateTime) <= day));

        Assert.Equal(400, (await Given.Get("/api/ledger/bundle?from=2024-13-01", token)).StatusCode);
        Assert.Equal(400, (await Given.Get("/api/ledger/bundle?from=2024-02-01&to=2024-01-01", token)).StatusCode);
        Assert.Equal(403, (await Given.Get("/api/ledger/bundle", Fixture.Token(Roles.Inspector))).StatusCode);
        Assert.Equal(401, (await Given.Get("/api/ledger/bundle", null)).StatusCode);
    }
}
