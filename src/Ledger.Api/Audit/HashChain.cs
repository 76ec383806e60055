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

/// <summary>The ledger's head as a reviewer writes it down: how many events, the last sequence, the chain head, the Merkle root.</summary>
public sealed record Digest(long TreeSize, long LastSequence, string HeadHash, string MerkleRoot)
{
    /// <summary>The form <c>GET /api/ledger/proof/{sequence}?digest=</c> takes.</summary>
    public string Value => $"{TreeSize}:{MerkleRoot}";
}

/// <summary>The first broken link found, if any: what happened to which event.</summary>
public sealed record BrokenLink(long Sequence, string Kind, string Detail);

public sealed record Verification(bool Intact, long From, long To, long Checked, BrokenLink? FirstBroken, int Problems)
{
    /// <summary>The chain contradicts a signed head it once had (truncated, or rewritten): see <see cref="TreeHeads"/>.</summary>
    public HeadAlarm? Alarm { get; init; }
}


public sealed record InclusionProof(long Sequence, long LeafIndex, long TreeSize, string MerkleRoot, string LeafHash,
    IReadOnlyList<string> AuditPath, HashedEvent Event);

/// <summary>
/// The hash chain beside Marten's event table: one entry per event in global sequence order, written
/// only by the ledger (up to the daemon's high-water mark, so no event can still slip in below it),
/// never updated (a trigger refuses UPDATE and DELETE). Each database of the ledger keeps the chain
/// of its own events (a province has several; see docs/scaling.md). See docs/audit.md.
/// </summary>
public sealed class HashChain(IDocumentStore store, MacKey macKey, TreeHeads heads)
{
    public const string Table = $"{MartenSetup.Schema}.{LedgerTables.ChainName}";
    private const string Events = $"{MartenSetup.Schema}.mt_events";
    /// <summary>The advisory lock every writer of the chain and of its heads holds (tests hold it to keep the writer away).</summary>
    public const long LockKey = 0x4C65646765724348; // "LedgerCH"
    private readonly ConcurrentDictionary<string, SemaphoreSlim> _gates = new();

    /// <summary>Chains every event of every database up to its high-water mark; returns how many were added.</summary>
    public async Task<int> CatchUpAsync(CancellationToken ct)
    {
        var added = 0;
        foreach (var database in await store.DatabasesAsync())
            added += await CatchUpAsync(database, ct);
        return added;
    }

    /// <summary>
    /// Chains every event of one database up to its high-water mark, a page at a time (each page its
    /// own transaction under the chain's advisory lock), then makes a signed head when one is due;
    /// returns how many were added. Nothing is chained while the chain contradicts a signed head.
    /// </summary>
    public async Task<int> CatchUpAsync(IMartenDatabase database, CancellationToken ct)
    {
        var gate = _gates.GetOrAdd(database.NameOf(), _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(ct);
        try
        {
            await using var connection = await database.OpenConnectionAsync(ct);
            var added = await ExtendAsync(database.NameOf(), connection, ct);
            await heads.MakeAsync(database.NameOf(), connection, force: false, ct);
            return added;
        }
        finally
        {
            gate.Release();
        }
    }

    /// <summary>Catches up, then makes a head of the chain now (or gives the newest when the chain did not grow).</summary>
    public async Task<(SignedHead? Head, HeadAlarm? Alarm)> HeadNowAsync(IMartenDatabase database, CancellationToken ct)
    {
        var gate = _gates.GetOrAdd(database.NameOf(), _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(ct);
        try
        {
            await using var connection = await database.OpenConnectionAsync(ct);
            await ExtendAsync(database.NameOf(), connection, ct);
            return await heads.MakeAsync(database.NameOf(), connection, force: true, ct);
        }
        finally
        {
            gate.Release();
        }
    }

    private async Task<int> ExtendAsync(string name, NpgsqlConnection connection, CancellationToken ct)
    {
        {
            var added = 0;
            while (true)
            {
                await using var tx = await connection.BeginTransactionAsync(ct);
                await Execute(connection, tx, $"select pg_advisory_xact_lock({LockKey})", ct);
                // Never chain over a signed head the chain no longer reproduces (a truncation or a rewrite).
                if (await heads.GuardAsync(name, connection, tx, full: false, ct) is not null) break;
                var (lastSeq, head) = await HeadAsync(connection, tx, ct);
                var highWater = await ScalarAsync<long?>(connection, tx,
                    $"select last_seq_id from {MartenSetup.Schema}.mt_event_progression where name = 'HighWaterMark'", ct) ?? 0;
                var events = await ReadEventsAsync(connection, tx, lastSeq + 1, highWater, ct, Page);
                if (events.Count == 0) break;
                var (sequences, contents, bodies, chains) = (new long[events.Count], new string[events.Count], new string[events.Count], new string[events.Count]);
                for (var i = 0; i < events.Count; i++)
                {
                    sequences[i] = events[i].Sequence;
                    contents[i] = LedgerHashing.ContentHash(events[i]);
                    bodies[i] = LedgerHashing.BodyHash(events[i]);
                    chains[i] = head = LedgerHashing.ChainHash(head, contents[i]);
                }
                await using (var insert = new NpgsqlCommand(
                    $"insert into {Table} (seq_id, content_hash, body_hash, chain_hash) select * from unnest($1::bigint[], $2::text[], $3::text[], $4::text[])",
                    connection, tx))
                {
                    insert.Parameters.AddWithValue(sequences);
                    insert.Parameters.AddWithValue(contents);
                    insert.Parameters.AddWithValue(bodies);
                    insert.Parameters.AddWithValue(chains);
                    await insert.ExecuteNonQueryAsync(ct);
                }
                await tx.CommitAsync(ct);
                added += events.Count;
                if (events.Count < Page) break;
            }
            return added;
        }
    }

    /// <summary>Rows read and written at a time: memory stays bounded however long the ledger grows.</summary>
    private const int Page = 5000;

    /// <summary>The digest, reading the chain once in order and keeping only O(log n) subtree roots.</summary>
    public async Task<Digest> DigestAsync(IMartenDatabase database, CancellationToken ct)
    {
        await CatchUpAsync(database, ct);
        await using var connection = await database.OpenConnectionAsync(ct);
        return await TreeOfAsync(connection, null, ct);
    }

    /// <summary>
    /// The chain as it stands folded into its Merkle tree, leaf by leaf in bounded memory: its size,
    /// last sequence, chain head and root (the digest, and what a signed head signs).
    /// </summary>
    public static async Task<Digest> TreeOfAsync(NpgsqlConnection connection, NpgsqlTransaction? tx, CancellationToken ct)
    {
        var tree = new MerkleTree.Builder();
        var (last, head) = (0L, LedgerHashing.Genesis);
        await using var command = new NpgsqlCommand($"select seq_id, content_hash, chain_hash from {Table} order by seq_id", connection, tx);
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            tree.Add(MerkleTree.Leaf(Convert.FromHexString(reader.GetString(1))));
            (last, head) = (reader.GetInt64(0), reader.GetString(2));
        }
        return new Digest(tree.Count, last, head, LedgerHashing.Hex(tree.Root()));
    }

    /// <summary>
    /// Recomputes the chain over [from, to] from the stored events and names the first broken link.
    /// Reads both tables a sequence range at a time, so memory stays bounded.
    /// </summary>
    public async Task<Verification> VerifyAsync(IMartenDatabase database, long from, long to, CancellationToken ct)
    {
        await CatchUpAsync(database, ct);
        await using var connection = await database.OpenConnectionAsync(ct);
        var alarm = await heads.GuardAsync(database.NameOf(), connection, null, full: true, ct);
        var maxChained = await ScalarAsync<long?>(connection, null, $"select max(seq_id) from {Table}", ct) ?? 0;
        var upper = Math.Min(to, maxChained);
        var previous = await ScalarAsync<string?>(connection, null,
            $"select chain_hash from {Table} where seq_id < {from} order by seq_id desc limit 1", ct) ?? LedgerHashing.Genesis;
        var (problems, @checked, lookups) = (0, 0L, 0);
        BrokenLink? first = null;

        for (var lo = from; lo <= upper; lo += Page)
        {
            var hi = Math.Min(upper, lo + Page - 1);
            var chain = await ChainAsync(connection, lo, hi, ct);
            var read = await ReadEventsAsync(connection, null, lo, hi, ct);
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
                var was = lookups++ < 100 ? await ChainedAtAsync(connection, LedgerHashing.BodyHash(stored), ct) : null;
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
        // Events past the chain's end (still in flight when it caught up): their seals are checked too.
        for (var lo = Math.Max(from, upper + 1); lo <= to; )
        {
            var read = await ReadEventsAsync(connection, null, lo, to, ct, Page);
            if (read.Count == 0) break;
            var found = read.Select(SealProblem).OfType<BrokenLink>().ToList();
            problems += found.Count;
            first ??= found.FirstOrDefault();
            lo = read[^1].Sequence + 1;
        }
        return new Verification(problems == 0 && alarm is null, from, upper, @checked, first, problems) { Alarm = alarm };
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

    private static async Task<long?> ChainedAtAsync(NpgsqlConnection connection, string bodyHash, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand($"select min(seq_id) from {Table} where body_hash = $1", connection);
        command.Parameters.AddWithValue(bodyHash);
        var value = await command.ExecuteScalarAsync(ct);
        return value is long seq ? seq : null;
    }

    /// <summary>
    /// The inclusion proof of one event in the tree of the first <paramref name="treeSize"/> chained
    /// events. Holds the tree's leaves (32 bytes each) in memory while it builds the path.
    /// </summary>
    public static async Task<(InclusionProof? Proof, string? Refusal)> ProofAsync(IMartenDatabase database, long sequence, long treeSize, string root,
        string tenant, CancellationToken ct)
    {
        await using var connection = await database.OpenConnectionAsync(ct);
        var count = await ScalarAsync<long?>(connection, null, $"select count(*) from {Table}", ct) ?? 0;
        if (treeSize < 1 || treeSize > count) return (null, $"the ledger has no digest of size {treeSize}");
        var leaves = new List<byte[]>((int)treeSize);
        var index = -1;
        await using (var command = new NpgsqlCommand($"select seq_id, content_hash from {Table} order by seq_id limit $1", connection))
        {
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
            return (null, $"the ledger's root for size {treeSize} is {computed}, not {root}");
        if (index < 0) return (null, null);
        var stored = (await ReadEventsAsync(connection, null, sequence, sequence, ct)).SingleOrDefault();
        if (stored is null || stored.TenantId != tenant) return (null, null);
        // An entry chained before v2 was hashed in the v1 text: the proof gives the text it was chained in.
        var legacy = !stored.IsArchived && LedgerHashing.LegacyContentHash(stored) is var v1
            && LedgerHashing.Hex(MerkleTree.Leaf(Convert.FromHexString(v1))) == LedgerHashing.Hex(leaves[index]);
        var hashed = HashedEvent.Of(stored, legacy);
        return (new InclusionProof(sequence, index, treeSize, computed, LedgerHashing.Hex(leaves[index]),
            MerkleTree.AuditPath(leaves, index).Select(p => LedgerHashing.Hex(p)).ToList(), hashed), null);
    }

    private sealed record ChainEntry(long Sequence, string Content, string Chain);

    private static async Task<List<ChainEntry>> ChainAsync(NpgsqlConnection connection, long from, long to, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand($"select seq_id, content_hash, chain_hash from {Table} where seq_id between $1 and $2 order by seq_id", connection);
        command.Parameters.AddWithValue(from);
        command.Parameters.AddWithValue(to);
        var entries = new List<ChainEntry>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct)) entries.Add(new ChainEntry(reader.GetInt64(0), reader.GetString(1), reader.GetString(2)));
        return entries;
    }

    private static async Task<(long Sequence, string Head)> HeadAsync(NpgsqlConnection connection, NpgsqlTransaction tx, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand($"select seq_id, chain_hash from {Table} order by seq_id desc limit 1", connection, tx);
        await using var reader = await command.ExecuteReaderAsync(ct);
        return await reader.ReadAsync(ct) ? (reader.GetInt64(0), reader.GetString(1)) : (0, LedgerHashing.Genesis);
    }

    public static async Task<List<StoredEvent>> ReadEventsAsync(NpgsqlConnection connection, NpgsqlTransaction? tx, long from, long to,
        CancellationToken ct, int limit = int.MaxValue)
    {
        await using var command = new NpgsqlCommand($"""
            select seq_id, stream_id::text, version, type, tenant_id, timestamp, user_name, headers::text, data::text,
                   id::text, is_archived, correlation_id, causation_id
            from {Events} where seq_id between $1 and $2 order by seq_id limit $3
            """, connection, tx);
        command.Parameters.AddWithValue(from);
        command.Parameters.AddWithValue(to);
        command.Parameters.AddWithValue((long)limit);
        var events = new List<StoredEvent>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
            events.Add(new StoredEvent(reader.GetInt64(0), reader.IsDBNull(1) ? "" : reader.GetString(1), reader.GetInt64(2), reader.GetString(3),
                reader.IsDBNull(4) ? "" : reader.GetString(4), reader.GetFieldValue<DateTimeOffset>(5),
                reader.IsDBNull(6) ? null : reader.GetString(6), reader.IsDBNull(7) ? null : reader.GetString(7), reader.GetString(8),
                reader.IsDBNull(9) ? "" : reader.GetString(9), !reader.IsDBNull(10) && reader.GetBoolean(10),
                reader.IsDBNull(11) ? null : reader.GetString(11), reader.IsDBNull(12) ? null : reader.GetString(12)));
        return events;
    }

    private static async Task Execute(NpgsqlConnection connection, NpgsqlTransaction? tx, string sql, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(sql, connection, tx);
        await command.ExecuteNonQueryAsync(ct);
    }

    private static async Task<T?> ScalarAsync<T>(NpgsqlConnection connection, NpgsqlTransaction? tx, string sql, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(sql, connection, tx);
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
