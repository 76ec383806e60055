using Ledger.Api.Storage;
using Ledger.Api.Exports;
using Ledger.Api.Writes;
using Ledger.Api.Setup;
using Ledger.Domain.Audit;
using System.Collections.Concurrent;
using Marten;
using Marten.Storage;
using Npgsql;

namespace Ledger.Api.Audit;

/// <summary>A county's log as a reviewer writes it down: the county, how many events, the last sequence, the chain head, the Merkle root.</summary>
public sealed record Digest(string County, long TreeSize, long LastSequence, string HeadHash, string MerkleRoot)
{
    /// <summary>The form <c>GET /api/ledger/proof/{sequence}?digest=</c> takes.</summary>
    public string Value => $"{TreeSize}:{MerkleRoot}";
}

/// <summary>The first broken link found, if any: what happened to which event.</summary>
public sealed record BrokenLink(long Sequence, string Kind, string Detail);

public sealed record Verification(bool Intact, long From, long To, long Checked, BrokenLink? FirstBroken, int Problems)
{
    /// <summary>The county whose log was verified.</summary>
    public string County { get; init; } = "";

    /// <summary>The log contradicts a signed head it once had (truncated, or rewritten): see <see cref="TreeHeads"/>.</summary>
    public HeadAlarm? Alarm { get; init; }
}


public sealed record InclusionProof(long Sequence, long LeafIndex, long TreeSize, string MerkleRoot, string LeafHash,
    IReadOnlyList<string> AuditPath, HashedEvent Event);

/// <summary>
/// The hash chains beside Marten's event table: one log per county (the events' <c>tenant_id</c>),
/// each a chain and a Merkle tree over that county's events in global sequence order, at leaf
/// index 0, 1, 2… of its own. Written only by the ledger (up to the daemon's high-water mark, so no
/// event can still slip in below it), never updated (a trigger refuses UPDATE and DELETE). Each
/// database of the ledger keeps the logs of the counties it holds (a province has several; see
/// docs/scaling.md). See docs/audit.md.
/// </summary>
public sealed class HashChain(IDocumentStore store, MacKey macKey, TreeHeads heads)
{
    public const string Table = $"{MartenSetup.Schema}.{LedgerTables.ChainName}";
    private const string Events = $"{MartenSetup.Schema}.mt_events";
    /// <summary>The advisory lock every writer of the chain and of its heads holds (tests hold it to keep the writer away).</summary>
    public const long LockKey = 0x4C65646765724348; // "LedgerCH"
    private readonly ConcurrentDictionary<string, SemaphoreSlim> _gates = new();
    /// <summary>Per database, the counties whose log grew since their last head (a head falls due for them).</summary>
    private readonly ConcurrentDictionary<string, ConcurrentDictionary<string, bool>> _grown = new();

    /// <summary>Chains every event of every database up to its high-water mark; returns how many were added.</summary>
    public async Task<int> CatchUpAsync(CancellationToken ct)
    {
        var added = 0;
        foreach (var database in await store.DatabasesAsync())
            added += await CatchUpAsync(database, ct);
        return added;
    }

    /// <summary>
    /// Chains every event of one database up to its high-water mark, each into its county's log, a
    /// page at a time (each page its own transaction under the chain's advisory lock), then makes a
    /// signed head of each county's log that grew, when one is due; returns how many were added.
    /// Nothing more is chained into a county's log while it contradicts a signed head of that county.
    /// </summary>
    public async Task<int> CatchUpAsync(IMartenDatabase database, CancellationToken ct)
    {
        var gate = _gates.GetOrAdd(database.NameOf(), _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(ct);
        try
        {
            await using var connection = await database.OpenConnectionAsync(ct);
            var grown = await GrownAsync(database.NameOf(), connection, ct);
            var added = await ExtendAsync(database.NameOf(), connection, grown, ct);
            foreach (var county in grown.Keys.Order(StringComparer.Ordinal))
            {
                if (!heads.IsDue(county)) continue;
                var (_, alarm) = await heads.MakeAsync(database.NameOf(), county, connection, force: false, ct);
                if (alarm is null) grown.TryRemove(county, out _);
            }
            return added;
        }
        finally
        {
            gate.Release();
        }
    }

    /// <summary>
    /// The counties of a database whose log may be ahead of its newest head: at the first call of
    /// this process every county with a log; after that, those the writer extended.
    /// </summary>
    private async Task<ConcurrentDictionary<string, bool>> GrownAsync(string name, NpgsqlConnection connection, CancellationToken ct)
    {
        if (_grown.TryGetValue(name, out var grown)) return grown;
        grown = new ConcurrentDictionary<string, bool>();
        foreach (var county in await LoggedCountiesAsync(connection, ct)) grown[county] = true;
        return _grown.GetOrAdd(name, grown);
    }

    /// <summary>Every county with a log in this database (read once per process, and by <c>ledger verify</c>).</summary>
    private static async Task<List<string>> LoggedCountiesAsync(NpgsqlConnection connection, CancellationToken ct)
    {
        var counties = new List<string>();
        await using var command = new NpgsqlCommand($"select distinct tenant_id from {Table} order by 1", connection);
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct)) counties.Add(reader.GetString(0));
        return counties;
    }

    /// <summary>
    /// The counties of one database whose logs <c>ledger verify</c> checks: every county with a log, a
    /// signed head (table or witness) or an event.
    /// </summary>
    public async Task<IReadOnlyList<string>> CountiesAsync(IMartenDatabase database, CancellationToken ct)
    {
        await using var connection = await database.OpenConnectionAsync(ct);
        var counties = new SortedSet<string>(await LoggedCountiesAsync(connection, ct), StringComparer.Ordinal);
        counties.UnionWith(await heads.CountiesAsync(database.NameOf(), connection, null, ct));
        await using var command = new NpgsqlCommand($"select distinct tenant_id from {Events} where tenant_id is not null", connection);
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct)) counties.Add(reader.GetString(0));
        return counties.ToList();
    }

    /// <summary>Catches up, then makes a head of the county's log now (or gives the newest when the log did not grow).</summary>
    public async Task<(SignedHead? Head, HeadAlarm? Alarm)> HeadNowAsync(IMartenDatabase database, string county, CancellationToken ct)
    {
        var gate = _gates.GetOrAdd(database.NameOf(), _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(ct);
        try
        {
            await using var connection = await database.OpenConnectionAsync(ct);
            var grown = await GrownAsync(database.NameOf(), connection, ct);
            await ExtendAsync(database.NameOf(), connection, grown, ct);
            var made = await heads.MakeAsync(database.NameOf(), county, connection, force: true, ct);
            if (made.Alarm is null) grown.TryRemove(county, out _);
            return made;
        }
        finally
        {
            gate.Release();
        }
    }

    /// <summary>
    /// Extends every county's log of the database with the events after the chain's frontier (the
    /// last sequence chained into a log that is not in alarm), a page at a time. A county in alarm
    /// (its log contradicts a signed head) is left as it is: its events are not chained.
    /// </summary>
    private async Task<int> ExtendAsync(string name, NpgsqlConnection connection, ConcurrentDictionary<string, bool> grown, CancellationToken ct)
    {
        var added = 0;
        while (true)
        {
            await using var tx = await connection.BeginTransactionAsync(ct);
            await Execute(connection, tx, $"select pg_advisory_xact_lock({LockKey})", ct);
            // Never chain over a signed head a county's log no longer reproduces (a truncation or a rewrite).
            var alarmed = (await heads.GuardAllAsync(name, connection, tx, ct)).ToArray();
            long frontier;
            await using (var last = new NpgsqlCommand($"select coalesce(max(seq_id), 0) from {Table} where tenant_id <> all($1)", connection, tx))
            {
                last.Parameters.AddWithValue(alarmed);
                frontier = (long)(await last.ExecuteScalarAsync(ct))!;
            }
            var highWater = await ScalarAsync<long?>(connection, tx,
                $"select last_seq_id from {MartenSetup.Schema}.mt_event_progression where name = 'HighWaterMark'", ct) ?? 0;
            var events = await ReadEventsAsync(connection, tx, frontier + 1, highWater, ct, Page, excluding: alarmed);
            if (events.Count == 0) break;
            var ends = new Dictionary<string, (long Leaf, string Chain)>();
            var n = events.Count;
            var (sequences, counties, leaves, contents, bodies, chains) =
                (new long[n], new string[n], new long[n], new string[n], new string[n], new string[n]);
            for (var i = 0; i < n; i++)
            {
                var e = events[i];
                if (!ends.TryGetValue(e.TenantId, out var end)) end = await EndOfLogAsync(connection, tx, e.TenantId, ct);
                sequences[i] = e.Sequence;
                counties[i] = e.TenantId;
                leaves[i] = end.Leaf + 1;
                contents[i] = LedgerHashing.ContentHash(e);
                bodies[i] = LedgerHashing.BodyHash(e);
                chains[i] = LedgerHashing.ChainHash(end.Chain, contents[i]);
                ends[e.TenantId] = (leaves[i], chains[i]);
            }
            await using (var insert = new NpgsqlCommand($"""
                             insert into {Table} (seq_id, tenant_id, leaf_index, content_hash, body_hash, chain_hash)
                             select * from unnest($1::bigint[], $2::text[], $3::bigint[], $4::text[], $5::text[], $6::text[])
                             """, connection, tx))
            {
                foreach (var values in new object[] { sequences, counties, leaves, contents, bodies, chains }) insert.Parameters.AddWithValue(values);
                await insert.ExecuteNonQueryAsync(ct);
            }
            await tx.CommitAsync(ct);
            foreach (var county in ends.Keys) grown[county] = true;
            added += n;
            if (n < Page) break;
        }
        return added;
    }

    /// <summary>The last leaf index and chain hash of a county's log (−1 and genesis when it is empty).</summary>
    private static async Task<(long Leaf, string Chain)> EndOfLogAsync(NpgsqlConnection connection, NpgsqlTransaction tx, string county, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand($"select leaf_index, chain_hash from {Table} where tenant_id = $1 order by leaf_index desc limit 1", connection, tx);
        command.Parameters.AddWithValue(county);
        await using var reader = await command.ExecuteReaderAsync(ct);
        return await reader.ReadAsync(ct) ? (reader.GetInt64(0), reader.GetString(1).Trim()) : (-1, LedgerHashing.Genesis);
    }

    /// <summary>Rows read and written at a time: memory stays bounded however long the ledger grows.</summary>
    private const int Page = 5000;

    /// <summary>The digest of a county's log, reading it once in order and keeping only O(log n) subtree roots.</summary>
    public async Task<Digest> DigestAsync(IMartenDatabase database, string county, CancellationToken ct)
    {
        await CatchUpAsync(database, ct);
        await using var connection = await database.OpenConnectionAsync(ct);
        // The newest entry's chain hash commits to every content hash before it, so a log that still
        // ends in the same (leaf, sequence, chain hash) has the same tree: its digest is served from
        // memory. A truncation or a rewrite ends the log otherwise, and the tree is folded again.
        var key = (database.NameOf(), county);
        var end = await EndOfAsync(connection, county, ct);
        if (_digests.TryGetValue(key, out var known) && (known.TreeSize, known.LastSequence, known.HeadHash) == end) return known;
        var digest = await TreeOfAsync(connection, null, county, ct);
        _digests[key] = digest;
        return digest;
    }

    /// <summary>Digests per database and county, by the log's end (see <see cref="DigestAsync"/>).</summary>
    private readonly ConcurrentDictionary<(string Database, string County), Digest> _digests = new();

    /// <summary>The size, last sequence and chain head of a county's log, read from its newest entry (by the leaf index).</summary>
    private static async Task<(long Size, long LastSequence, string Head)> EndOfAsync(NpgsqlConnection connection, string county, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(
            $"select leaf_index + 1, seq_id, chain_hash from {Table} where tenant_id = $1 order by leaf_index desc limit 1", connection);
        command.Parameters.AddWithValue(county);
        await using var reader = await command.ExecuteReaderAsync(ct);
        return await reader.ReadAsync(ct) ? (reader.GetInt64(0), reader.GetInt64(1), reader.GetString(2)) : (0, 0, LedgerHashing.Genesis);
    }

    /// <summary>
    /// A county's log as it stands folded into its Merkle tree, leaf by leaf in bounded memory: its size,
    /// last sequence, chain head and root (the digest, and what a signed head signs).
    /// </summary>
    public static async Task<Digest> TreeOfAsync(NpgsqlConnection connection, NpgsqlTransaction? tx, string county, CancellationToken ct)
    {
        var tree = new MerkleTree.Builder();
        var (last, head) = (0L, LedgerHashing.Genesis);
        await using var command = new NpgsqlCommand($"select seq_id, content_hash, chain_hash from {Table} where tenant_id = $1 order by leaf_index",
            connection, tx);
        command.Parameters.AddWithValue(county);
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            tree.Add(MerkleTree.Leaf(Convert.FromHexString(reader.GetString(1))));
            (last, head) = (reader.GetInt64(0), reader.GetString(2));
        }
        return new Digest(county, tree.Count, last, head, LedgerHashing.Hex(tree.Root()));
    }

    /// <summary>
    /// Recomputes a county's log over the sequences [from, to] from the county's stored events and
    /// names the first broken link. Reads both tables a sequence range at a time, so memory stays bounded.
    /// </summary>
    public async Task<Verification> VerifyAsync(IMartenDatabase database, string county, long from, long to, CancellationToken ct)
    {
        await CatchUpAsync(database, ct);
        await using var connection = await database.OpenConnectionAsync(ct);
        var alarm = await heads.GuardAsync(database.NameOf(), county, connection, null, full: true, ct);
        var maxChained = await ScalarAsync<long?>(connection, null, $"select max(seq_id) from {Table} where tenant_id = $1", ct, county) ?? 0;
        var upper = Math.Min(to, maxChained);
        var previous = await ScalarAsync<string?>(connection, null,
            $"select chain_hash from {Table} where tenant_id = $1 and seq_id < {from} order by leaf_index desc limit 1", ct, county) ?? LedgerHashing.Genesis;
        var (problems, @checked, lookups) = (0, 0L, 0);
        BrokenLink? first = null;

        for (var lo = from; lo <= upper; lo += Page)
        {
            var hi = Math.Min(upper, lo + Page - 1);
            var chain = await ChainAsync(connection, county, lo, hi, ct);
            // The county's events, and whatever event now stands at a sequence its log chained (another county's now, perhaps).
            var read = await ReadEventsAsync(connection, null, lo, hi, ct, county: county, alsoAt: chain.Select(c => c.Sequence).ToArray());
            var events = read.ToDictionary(e => e.Sequence);
            var found = new List<BrokenLink>();
            foreach (var entry in chain)
            {
                if (LedgerHashing.ChainHash(previous, entry.Content) != entry.Chain.Trim())
                    found.Add(new BrokenLink(entry.Sequence, "chain-altered", "the chain entry does not follow from the one before it"));
                previous = entry.Chain.Trim();
                if (!events.Remove(entry.Sequence, out var stored))
                {
                    found.Add(new BrokenLink(entry.Sequence, "deleted", $"event {entry.Sequence} is in the chain but no longer in the ledger"));
                    continue;
                }
                if (LedgerHashing.Matches(stored, entry.Content.Trim())) continue;
                // Where was this body chained? Asked only for altered events, and only for the first few.
                var was = lookups++ < 100 ? await ChainedAtAsync(connection, county, LedgerHashing.BodyHash(stored), ct) : null;
                found.Add(was is { } at && at != entry.Sequence
                    ? new BrokenLink(entry.Sequence, "reordered", $"the event now at {entry.Sequence} was chained at {at}")
                    : new BrokenLink(entry.Sequence, "changed", $"event {entry.Sequence} ({stored.Type}, stream {stored.StreamId} v{stored.Version}) differs from what was chained"));
            }
            found.AddRange(events.Values.Select(stored =>
                new BrokenLink(stored.Sequence, "inserted", $"event {stored.Sequence} ({stored.Type}) is in the ledger but was never chained")));
            found.AddRange(read.Select(SealProblem).OfType<BrokenLink>());
            @checked += chain.Count;
            problems += found.Count;
            // At one sequence, what the chain says comes before what the seal says.
            first ??= found.OrderBy(p => p.Sequence).ThenBy(p => p.Kind is SealAltered or SealMissing or Archived ? 1 : 0).FirstOrDefault();
        }
        // The county's events past its log's end (still in flight when it caught up, or held back by an alarm): their seals are checked too.
        for (var lo = Math.Max(from, upper + 1); lo <= to; )
        {
            var read = await ReadEventsAsync(connection, null, lo, to, ct, Page, county: county);
            if (read.Count == 0) break;
            var found = read.Select(SealProblem).OfType<BrokenLink>().ToList();
            problems += found.Count;
            first ??= found.OrderBy(p => p.Sequence).FirstOrDefault();
            lo = read[^1].Sequence + 1;
        }
        return new Verification(problems == 0 && alarm is null, from, upper, @checked, first, problems) { County = county, Alarm = alarm };
    }

    /// <summary>An event whose seal does not follow from its stored content (changed, chained or not, by someone without the key).</summary>
    public const string SealAltered = "mac-mismatch";

    /// <summary>An archived event (hidden from every read; the ledger never archives).</summary>
    public const string Archived = "archived";

    /// <summary>An event without a seal where every event must carry one (inserted around the ledger).</summary>
    public const string SealMissing = "mac-missing";

    /// <summary>
    /// What is wrong with an event's seal, if anything. Events before <see cref="MacKey.RequiredFrom"/> need
    /// none; neither do Marten's own tombstones (written outside any session to fill the sequence gap a
    /// failed transaction leaves; no record, and turning an event into one only deletes it).
    /// </summary>
    private BrokenLink? SealProblem(StoredEvent e)
    {
        // The ledger never archives an event: an archived one is hidden from exports, asOf and
        // assessments by someone else, whether it was chained before or after.
        if (e.IsArchived)
            return new BrokenLink(e.Sequence, Archived, $"event {e.Sequence} ({e.Type}, stream {e.StreamId}) is archived: the ledger never archives, so it is hidden from every read");
        var stored = EventMac.Stored(e.HeadersJson);
        if (stored is null)
            return e.Sequence < macKey.RequiredFrom || e.Type == "tombstone"
                ? null
                : new BrokenLink(e.Sequence, SealMissing, $"event {e.Sequence} ({e.Type}, stream {e.StreamId}) carries no seal: it was not appended by the ledger");
        return EventMac.Holds(macKey.Key, e)
            ? null
            : new BrokenLink(e.Sequence, SealAltered,
                $"event {e.Sequence} ({e.Type}, stream {e.StreamId} v{e.Version}) does not match the seal it was appended with: altered since, chained or not");
    }

    private static async Task<long?> ChainedAtAsync(NpgsqlConnection connection, string county, string bodyHash, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand($"select min(seq_id) from {Table} where tenant_id = $1 and body_hash = $2", connection);
        command.Parameters.AddWithValue(county);
        command.Parameters.AddWithValue(bodyHash);
        var value = await command.ExecuteScalarAsync(ct);
        return value is long seq ? seq : null;
    }

    /// <summary>
    /// The inclusion proof of one event of the county in the tree of the first <paramref name="treeSize"/>
    /// leaves of the county's log. Holds the tree's leaves (32 bytes each) in memory while it builds the path.
    /// </summary>
    public static async Task<(InclusionProof? Proof, string? Refusal)> ProofAsync(IMartenDatabase database, string county, long sequence, long treeSize,
        string root, CancellationToken ct)
    {
        await using var connection = await database.OpenConnectionAsync(ct);
        var count = await ScalarAsync<long?>(connection, null, $"select count(*) from {Table} where tenant_id = $1", ct, county) ?? 0;
        if (treeSize < 1 || treeSize > count) return (null, $"the county's log has no digest of size {treeSize}");
        var leaves = new List<byte[]>((int)treeSize);
        var index = -1;
        await using (var command = new NpgsqlCommand($"select seq_id, content_hash from {Table} where tenant_id = $1 order by leaf_index limit $2", connection))
        {
            command.Parameters.AddWithValue(county);
            command.Parameters.AddWithValue(treeSize);
            await using var reader = await command.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                if (reader.GetInt64(0) == sequence) index = leaves.Count;
                leaves.Add(MerkleTree.Leaf(Convert.FromHexString(reader.GetString(1))));
            }
        }
        var computed = LedgerHashing.Hex(MerkleTree.Root(leaves));
        if (!string.Equals(computed, root, StringComparison.OrdinalIgnoreCase))
            return (null, $"the county's log gives root {computed} for size {treeSize}, not {root}");
        if (index < 0) return (null, null);
        var stored = (await ReadEventsAsync(connection, null, sequence, sequence, ct)).SingleOrDefault();
        if (stored is null || stored.TenantId != county) return (null, null);
        return (new InclusionProof(sequence, index, treeSize, computed, LedgerHashing.Hex(leaves[index]),
            MerkleTree.AuditPath(leaves, index).Select(p => LedgerHashing.Hex(p)).ToList(), Hashed(stored, leaves[index])), null);
    }

    /// <summary>
    /// The event as hashed for a proof or a bundle: in the v1 text when its leaf was chained in v1 (an
    /// entry chained before v2 that still matches it), else in the current text.
    /// </summary>
    public static HashedEvent Hashed(StoredEvent stored, byte[] leaf)
    {
        var legacy = !stored.IsArchived && LedgerHashing.Hex(MerkleTree.Leaf(Convert.FromHexString(LedgerHashing.LegacyContentHash(stored)))) == LedgerHashing.Hex(leaf);
        return HashedEvent.Of(stored, legacy);
    }

    private sealed record ChainEntry(long Sequence, string Content, string Chain);

    private static async Task<List<ChainEntry>> ChainAsync(NpgsqlConnection connection, string county, long from, long to, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(
            $"select seq_id, content_hash, chain_hash from {Table} where tenant_id = $1 and seq_id between $2 and $3 order by leaf_index", connection);
        command.Parameters.AddWithValue(county);
        command.Parameters.AddWithValue(from);
        command.Parameters.AddWithValue(to);
        var entries = new List<ChainEntry>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct)) entries.Add(new ChainEntry(reader.GetInt64(0), reader.GetString(1), reader.GetString(2)));
        return entries;
    }

    /// <summary>The columns of <see cref="StoredEvent"/>, in the order <see cref="ReadEvent"/> reads them.</summary>
    public const string EventColumns = """
        seq_id, stream_id::text, version, type, tenant_id, timestamp, user_name, headers::text, data::text,
        id::text, is_archived, correlation_id, causation_id
        """;

    /// <summary>
    /// The stored events with sequences in [from, to], in sequence order, at most <paramref name="limit"/>:
    /// all of them, or those of one <paramref name="county"/> (and those standing at the sequences
    /// <paramref name="alsoAt"/>), or all but those of the <paramref name="excluding"/> counties.
    /// </summary>
    public static async Task<List<StoredEvent>> ReadEventsAsync(NpgsqlConnection connection, NpgsqlTransaction? tx, long from, long to,
        CancellationToken ct, int limit = int.MaxValue, string? county = null, long[]? alsoAt = null, string[]? excluding = null)
    {
        var filter = county is not null ? " and (tenant_id = $4 or seq_id = any($5))"
            : excluding is { Length: > 0 } ? " and tenant_id <> all($4)" : "";
        await using var command = new NpgsqlCommand(
            $"select {EventColumns} from {Events} where seq_id between $1 and $2{filter} order by seq_id limit $3", connection, tx);
        command.Parameters.AddWithValue(from);
        command.Parameters.AddWithValue(to);
        command.Parameters.AddWithValue((long)limit);
        if (county is not null)
        {
            command.Parameters.AddWithValue(county);
            command.Parameters.AddWithValue(alsoAt ?? []);
        }
        else if (excluding is { Length: > 0 }) command.Parameters.AddWithValue(excluding);
        var events = new List<StoredEvent>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct)) events.Add(ReadEvent(reader));
        return events;
    }

    /// <summary>One event from a row that starts with <see cref="EventColumns"/> at <paramref name="at"/>.</summary>
    public static StoredEvent ReadEvent(NpgsqlDataReader reader, int at = 0) =>
        new(reader.GetInt64(at), reader.IsDBNull(at + 1) ? "" : reader.GetString(at + 1), reader.GetInt64(at + 2), reader.GetString(at + 3),
            reader.IsDBNull(at + 4) ? "" : reader.GetString(at + 4), reader.GetFieldValue<DateTimeOffset>(at + 5),
            reader.IsDBNull(at + 6) ? null : reader.GetString(at + 6), reader.IsDBNull(at + 7) ? null : reader.GetString(at + 7), reader.GetString(at + 8),
            reader.IsDBNull(at + 9) ? "" : reader.GetString(at + 9), !reader.IsDBNull(at + 10) && reader.GetBoolean(at + 10),
            reader.IsDBNull(at + 11) ? null : reader.GetString(at + 11), reader.IsDBNull(at + 12) ? null : reader.GetString(at + 12));

    private static async Task Execute(NpgsqlConnection connection, NpgsqlTransaction? tx, string sql, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(sql, connection, tx);
        await command.ExecuteNonQueryAsync(ct);
    }

    private static async Task<T?> ScalarAsync<T>(NpgsqlConnection connection, NpgsqlTransaction? tx, string sql, CancellationToken ct,
        params object[] parameters)
    {
        await using var command = new NpgsqlCommand(sql, connection, tx);
        foreach (var parameter in parameters) command.Parameters.AddWithValue(parameter);
        var value = await command.ExecuteScalarAsync(ct);
        return value is null or DBNull ? default : (T)value;
    }
}

/// <summary>Keeps the chain current in the background; the digest and verification also catch up before answering.</summary>
public sealed class HashChainWriter(HashChain chain, ILogger<HashChainWriter> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(2));
        do
        {
            try
            {
                await chain.CatchUpAsync(stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogWarning(e, "Could not extend the hash chain; will try again");
            }
        } while (await timer.WaitForNextTickAsync(stoppingToken));
    }
}
