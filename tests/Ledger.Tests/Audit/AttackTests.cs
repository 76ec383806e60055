using System.Text.Json;
using Ledger.Api.Audit;
using Ledger.Api.Storage;
using Ledger.Domain.Access;
using Ledger.Domain.Audit;
using Ledger.Tests.Fixtures;
using Npgsql;

namespace Ledger.Tests.Audit;

/// <summary>
/// Issue 16's "done means", attack by attack: real events through the API, a head saved by the
/// reviewer, then the database attacked directly with SQL. Each attack is detected and located by
/// <c>verify</c>; and no head the ledger makes afterwards vouches for the attacked log: either the
/// ledger refuses to make one (an alarm), or the new head is not consistent with the saved one, or —
/// when the attack left the chain alone — the new head still commits to what was there before, so the
/// bundle made against it shows the attacked leaves (an auditor finds them). (An edited inline
/// document is checked by <see cref="ViewCheckTests"/>; documents are not part of the log.)
/// </summary>
public sealed class AttackTests(LedgerFixture fixture) : IntegrationTest(fixture)
{
    private string Reviewer => Fixture.Token(Roles.Reviewer);

    private static long Size(JsonElement head) => head.GetProperty("treeSize").GetInt64();

    /// <summary>The sample registry and one more town through the API, settled, and a head the reviewer keeps.</summary>
    private async Task<JsonElement> SavedHead()
    {
        await Given.SampleRegistry();
        await Fixture.SettledAsync();
        return await Scenarios.Expect(await Given.Send(HttpMethod.Post, "/api/ledger/heads", Reviewer), 200);
    }

    private async Task<JsonElement> Verify() => await Given.GetJson("/api/ledger/verify");

    private static (long Sequence, string Kind) First(JsonElement verification) =>
        (verification.GetProperty("firstBroken").GetProperty("sequence").GetInt64(), verification.GetProperty("firstBroken").GetProperty("kind").GetString()!);

    private async Task<NpgsqlConnection> OpenAsync() =>
        await LedgerFixture.OwnerConnectionAsync((await Fixture.Store.DatabasesAsync()).Single());

    private async Task<T> Scalar<T>(string sql, NpgsqlTransaction? tx = null, NpgsqlConnection? on = null)
    {
        await using var own = on is null ? await OpenAsync() : null;
        await using var command = new NpgsqlCommand(sql, on ?? own, tx);
        return (T)(await command.ExecuteScalarAsync())!;
    }

    private Task<long> LeafOf(long sequence) => Scalar<long>($"select leaf_index from {HashChain.Table} where seq_id = {sequence}");

    private async Task WriterRuns() => await Fixture.Host.Services.GetRequiredService<HashChain>().CatchUpAsync(CancellationToken.None);

    /// <summary>
    /// What the ledger makes after the attack: <c>null</c> when it refuses to make a head (409, the
    /// alarm named); otherwise the new head must be consistent with the saved one (the ledger never
    /// signs a rewrite), and the answer is the leaves the bundle made against it shows wrong.
    /// </summary>
    private async Task<IReadOnlyList<long>?> WhatANewHeadVouchesFor(JsonElement saved)
    {
        var made = await Given.Send(HttpMethod.Post, "/api/ledger/heads", Reviewer);
        if (made.StatusCode == 409)
        {
            Assert.Contains($"signed head {Size(saved)}", await made.ReadAsTextAsync());
            return null;
        }
        var head = await Scenarios.Expect(made, 200);
        var answer = await Given.GetJson($"/api/ledger/consistency?from={Size(saved)}&to={Size(head)}");
        Assert.Equal(saved.GetProperty("merkleRoot").GetString(), answer.GetProperty("fromRoot").GetString());
        Assert.True(MerkleTree.VerifyConsistency(Size(saved), Size(head), Convert.FromHexString(answer.GetProperty("fromRoot").GetString()!),
            Convert.FromHexString(head.GetProperty("merkleRoot").GetString()!),
            answer.GetProperty("proof").EnumerateArray().Select(p => Convert.FromHexString(p.GetString()!)).ToList()));
        var response = await Given.Get("/api/ledger/bundle", Reviewer);
        var bundle = BundleRead.From(response);
        Assert.Equal(Size(head), bundle.Manifest.Head.TreeSize);
        // The offline auditor, given the bundle, the reviewer's key and the saved head, finds the same leaves.
        var report = await AuditAsync(response, saved);
        var wrong = bundle.Wrong();
        Assert.Equal(wrong.Count == 0, report.Intact);
        // (A run of leaves with no line is one problem, located at its first leaf.)
        var located = report.Problems.Where(p => p.LeafIndex is not null).Select(p => p.LeafIndex!.Value).Distinct().Order().ToList();
        Assert.All(located, leaf => Assert.Contains(leaf, wrong));
        Assert.Equal(wrong.FirstOrDefault(-1), located.FirstOrDefault(-1));
        return wrong;
    }

    /// <summary><c>ledger audit</c>'s check of a bundle as served, with the public key as served and a head the reviewer saved.</summary>
    private async Task<AuditReport> AuditAsync(HttpResult bundle, JsonElement saved)
    {
        var key = await (await Given.Get("/api/ledger/public-key", null)).ReadAsTextAsync();
        return OfflineAudit.Run(new MemoryStream(bundle.Body), key, saved.GetRawText());
    }

    [Fact]
    public async Task An_untouched_log_bundled_over_http_audits_intact_offline_against_the_saved_head()
    {
        var saved = await SavedHead();
        await Scenarios.Expect(await Given.ImportCsv("town_code,name,kind\n440233199,新镇,town\n", Fixture.Token(Roles.PovertyOffice)), 200);
        await Fixture.SettledAsync();

        var report = await AuditAsync(await Given.Get("/api/ledger/bundle", Reviewer), saved);
        Assert.True(report.Intact, string.Join("; ", report.Problems.Select(p => $"{p.Kind} at {p.Where}: {p.Detail}")));
        Assert.True(report.Head!.TreeSize > Size(saved));
        Assert.Equal(report.Head.TreeSize, report.EventsChecked);
        Assert.Equal(Size(saved), report.SavedHead!.TreeSize);
    }

    [Fact]
    public async Task An_event_edited_after_chaining_is_located_and_every_later_head_still_holds_the_original()
    {
        var saved = await SavedHead();
        var target = saved.GetProperty("lastSequence").GetInt64() - 3;
        await Fixture.ExecuteAsync($"update ledger.mt_events set data = jsonb_set(data, '{{Name}}', '\"篡改村\"') where seq_id = {target}");

        Assert.Equal((target, "changed"), First(await Verify()));
        Assert.Equal([await LeafOf(target)], await WhatANewHeadVouchesFor(saved));
    }

    [Fact]
    public async Task An_event_edited_before_chaining_is_located_by_its_seal()
    {
        var saved = await SavedHead();
        long target = 0;
        await using (var connection = await OpenAsync())
        await using (var tx = await connection.BeginTransactionAsync())
        {
            // Holding the chain's lock: the writer cannot reach the new event before it is edited.
            await Scalar<int>($"select 1 from (select pg_advisory_xact_lock({HashChain.LockKey})) l", tx, connection);
            await Scenarios.Expect(await Given.ImportCsv("town_code,name,kind\n440233199,新镇,town\n", Fixture.Token(Roles.PovertyOffice)), 200);
            target = await Scalar<long>("select max(seq_id) from ledger.mt_events where type <> 'tombstone'", tx, connection);
            Assert.Equal(0L, await Scalar<long>($"select count(*) from {HashChain.Table} where seq_id = {target}", tx, connection));
            await using var edit = new NpgsqlCommand(
                $"update ledger.mt_events set data = jsonb_set(data, '{{Name}}', '\"篡改镇\"') where seq_id = {target}", connection, tx);
            await edit.ExecuteNonQueryAsync();
            await tx.CommitAsync();
        }
        await Fixture.SettledAsync();

        Assert.Equal((target, HashChain.SealAltered), First(await Verify()));
        // The saved head's events are untouched, so a later head is consistent with it; the chain took the
        // new event as it found it: the seal, made with a key outside the database, is what tells.
        Assert.Empty((await WhatANewHeadVouchesFor(saved))!);
        Assert.True(Size(await Given.GetJson("/api/ledger/heads")) > Size(saved));
    }

    [Fact]
    public async Task An_edit_then_a_truncated_chain_stops_the_writer_and_no_head_is_made()
    {
        var saved = await SavedHead();
        var target = saved.GetProperty("lastSequence").GetInt64() - 5;
        await Fixture.ExecuteAsync($$"""
            update ledger.mt_events set data = jsonb_set(data, '{Name}', '"篡改村"') where seq_id = {{target}};
            truncate ledger.ledger_chain
            """);
        await WriterRuns();
        Assert.Equal(0L, await Scalar<long>($"select count(*) from {HashChain.Table} where tenant_id = '440233'"));

        var result = await Verify();
        Assert.False(result.GetProperty("intact").GetBoolean());
        Assert.StartsWith($"chain truncated below signed head {Size(saved)}", result.GetProperty("alarm").GetProperty("detail").GetString());
        Assert.Equal((target, HashChain.SealAltered), First(result));
        Assert.Null(await WhatANewHeadVouchesFor(saved));
        Assert.Contains("county 440233", await (await Given.Get("/health", null)).ReadAsTextAsync());

        // The bundle is still made, against the newest signed head: the auditor sees the log holds none of its leaves.
        var response = await Given.Get("/api/ledger/bundle", Reviewer);
        var bundle = BundleRead.From(response);
        Assert.Equal((Size(saved), 0), (bundle.Manifest.Head.TreeSize, bundle.Leaves.Count));
        var report = await AuditAsync(response, saved);
        Assert.False(report.Intact);
        Assert.Contains(report.Problems, p => p.File == AuditBundle.LeavesFile);
    }

    [Fact]
    public async Task The_newest_events_deleted_after_chaining_are_located_and_left_out_of_every_later_head()
    {
        var saved = await SavedHead();
        var last = saved.GetProperty("lastSequence").GetInt64();
        var (a, b) = (await LeafOf(last - 1), await LeafOf(last));
        await Fixture.ExecuteAsync($"delete from ledger.mt_events where seq_id >= {last - 1}");

        var result = await Verify();
        Assert.Equal((last - 1, "deleted"), First(result));
        Assert.Equal(2, result.GetProperty("problems").GetInt32());
        Assert.Equal([a, b], await WhatANewHeadVouchesFor(saved));
    }

    [Fact]
    public async Task An_archived_stream_is_located_and_its_leaves_no_longer_match()
    {
        var saved = await SavedHead();
        var target = saved.GetProperty("lastSequence").GetInt64() - 10;
        const string stream = "(select stream_id from ledger.mt_events where seq_id = {0})";
        var sequences = new List<long>();
        await using (var connection = await OpenAsync())
        await using (var command = new NpgsqlCommand($"select seq_id from ledger.mt_events where stream_id = {string.Format(stream, target)} order by seq_id", connection))
        await using (var reader = await command.ExecuteReaderAsync())
            while (await reader.ReadAsync()) sequences.Add(reader.GetInt64(0));
        await Fixture.ExecuteAsync($"""
            update ledger.mt_streams set is_archived = true where id = {string.Format(stream, target)};
            update ledger.mt_events set is_archived = true where stream_id = {string.Format(stream, target)};
            """);

        Assert.Equal((sequences[0], "changed"), First(await Verify()));
        var leaves = new List<long>();
        foreach (var sequence in sequences) leaves.Add(await LeafOf(sequence));
        Assert.Equal(leaves, await WhatANewHeadVouchesFor(saved));
    }

    [Fact]
    public async Task Two_events_of_a_county_swapped_are_located_and_both_leaves_no_longer_match()
    {
        var saved = await SavedHead();
        var a = saved.GetProperty("lastSequence").GetInt64() - 5;
        var b = a + 1;
        await Fixture.SwapEventsAsync(a, b);

        var broken = (await Verify()).GetProperty("firstBroken");
        Assert.Equal((a, "reordered"), (broken.GetProperty("sequence").GetInt64(), broken.GetProperty("kind").GetString()));
        Assert.Contains($"was chained at {b}", broken.GetProperty("detail").GetString());
        Assert.Equal([await LeafOf(a), await LeafOf(b)], await WhatANewHeadVouchesFor(saved));
    }

    [Fact]
    public async Task A_chain_rewritten_by_hand_over_an_edit_is_not_consistent_with_the_saved_head()
    {
        var saved = await SavedHead();
        var digest = await Given.GetJson("/api/ledger/digest");   // and the ledger has folded its log once
        Assert.Equal(saved.GetProperty("merkleRoot").GetString(), digest.GetProperty("merkleRoot").GetString());
        var target = saved.GetProperty("lastSequence").GetInt64() - 4;
        await Fixture.ExecuteAsync($$"""
            update ledger.mt_events set data = jsonb_set(data, '{Name}', '"篡改村"') where seq_id = {{target}};
            truncate ledger.ledger_chain, ledger.ledger_heads
            """);
        // The operator writes a chain of their own over the edited events, leaf by leaf per county.
        await Fixture.ExecuteAsync($"""
            insert into {HashChain.Table} (seq_id, tenant_id, leaf_index, content_hash, body_hash, chain_hash)
            select seq_id, tenant_id, row_number() over (partition by tenant_id order by seq_id) - 1, repeat('0', 64), repeat('0', 64), repeat('0', 64)
            from ledger.mt_events
            """);
        await WriterRuns();

        // The witness still holds the saved head: the ledger refuses to sign over the rewrite, and says where.
        var alarm = (await Verify()).GetProperty("alarm");
        Assert.Equal(("inconsistent", Size(saved)), (alarm.GetProperty("kind").GetString(), alarm.GetProperty("headSize").GetInt64()));
        Assert.Null(await WhatANewHeadVouchesFor(saved));
        // And the saved head's root is not the rewritten log's at its size.
        var answer = await Given.GetJson($"/api/ledger/consistency?from={Size(saved)}&to={Size(saved)}");
        Assert.NotEqual(saved.GetProperty("merkleRoot").GetString(), answer.GetProperty("fromRoot").GetString());
        // The digest is not served from memory over the rewrite: it is the rewritten log's, of the same size.
        var after = await Given.GetJson("/api/ledger/digest");
        Assert.Equal((Size(saved), answer.GetProperty("fromRoot").GetString()), (after.GetProperty("treeSize").GetInt64(), after.GetProperty("merkleRoot").GetString()));
    }
}
