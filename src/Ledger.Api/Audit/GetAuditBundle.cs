using Ledger.Api.Exports;
using System.Globalization;
using System.IO.Compression;
using System.Text;
using System.Text.Json;
using Ledger.Api.Http;
using Ledger.Api.Setup;
using Ledger.Api.Storage;
using Ledger.Domain.Access;
using Ledger.Domain.Audit;
using Marten;
using Marten.Storage;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Npgsql;
using Wolverine.Http;

namespace Ledger.Api.Audit;

public static class GetAuditBundle
{
    private const string Chain = $"{MartenSetup.Schema}.{LedgerTables.ChainName}";
    private const string Events = $"{MartenSetup.Schema}.mt_events";
    /// <summary>The dates of a period are those of China (UTC+8), where the counties are.</summary>
    private static readonly TimeSpan ChinaTime = TimeSpan.FromHours(8);
    /// <summary>Leaves whose events are read at a time: the events stream out in bounded memory.</summary>
    private const int Page = 1000;

    /// <summary>
    /// The caller's county's log as a zip archive a reviewer audits without a server (the contract is
    /// <see cref="AuditBundle"/>; docs/audit.md, "The audit bundle"): the pending events are chained and a
    /// head is made now, then the events of the period (<c>from</c>, <c>to</c>: dates in China time,
    /// both optional, both inclusive), every leaf hash of the head's tree, the county's heads up to it,
    /// a consistency proof from each earlier head to it, and the public key. When the log contradicts
    /// a signed head, the bundle is made against the newest signed head, with the log as it stands.
    /// </summary>
    [WolverineGet("/api/ledger/bundle")]
    [Authorize(Roles = Roles.ReadAll)]
    [ProducesResponseType(typeof(byte[]), 200, "application/zip")]
    public static async Task<IResult> Get(string? from, string? to, HashChain chain, TreeHeads heads, TimeProvider clock, IQuerySession session,
        CancellationToken ct)
    {
        if (!TryDate(from, out var first) || !TryDate(to, out var last))
            return ProblemAnswers.BadRequest("from and to are dates, YYYY-MM-DD").ToResult();
        if (first is not null && last is not null && last < first)
            return ProblemAnswers.BadRequest("to is before from").ToResult();
        var (county, database) = (session.TenantId, session.Database);

        var (made, alarm) = await chain.HeadNowAsync(database, county, ct);
        SignedHead? head;
        List<byte[]> leaves;
        IReadOnlyList<SignedHead> earlier;
        long firstLeaf, lastLeaf;
        await using (var connection = await database.OpenConnectionAsync(ct))
        {
            var known = await heads.KnownAsync(database.NameOf(), county, connection, null, ct);
            head = alarm is null ? made : known.LastOrDefault();
            if (head is null) return ProblemAnswers.NotFound("the county's log is empty: there is nothing to bundle").ToResult();
            earlier = known.Where(h => h.TreeSize <= head.TreeSize).ToList();
            leaves = await TreeHeads.LeavesAsync(connection, county, head.TreeSize, ct);
            firstLeaf = first is { } f ? await LeafAsync(connection, county, head.TreeSize, "min", ">=", Start(f), ct) ?? head.TreeSize : 0;
            lastLeaf = last is { } l ? await LeafAsync(connection, county, head.TreeSize, "max", "<", Start(l.AddDays(1)), ct) ?? -1 : head.TreeSize - 1;
        }
        var manifest = new BundleManifest(AuditBundle.Format, county, first, last, firstLeaf, lastLeaf, head, clock.GetUtcNow());
        var publicKey = heads.PublicKeyPem;

        return ZipDownload.Of("application/zip", $"ledger-{county}-{head.TreeSize}.zip", async zip =>
        {
            await ZipDownload.EntryAsync(zip, AuditBundle.ManifestFile, stream => JsonSerializer.SerializeAsync(stream, manifest, AuditBundle.Json, ct));
            await ZipDownload.EntryAsync(zip, AuditBundle.EventsFile, stream => WriteEventsAsync(stream, database, county, firstLeaf, lastLeaf, leaves, ct));
            await ZipDownload.EntryAsync(zip, AuditBundle.LeavesFile, async stream =>
            {
                foreach (var leaf in leaves) await stream.WriteAsync(Encoding.ASCII.GetBytes(LedgerHashing.Hex(leaf) + "\n"), ct);
            });
            await ZipDownload.EntryAsync(zip, AuditBundle.HeadsFile, stream => JsonSerializer.SerializeAsync(stream, earlier, AuditBundle.Json, ct));
            // A proof from each earlier head to the bundle's head, where the log still holds the head's leaves.
            var proofs = leaves.Count == head.TreeSize
                ? earlier.Where(h => h.TreeSize < head.TreeSize).Select(h => TreeHeads.Consistency(leaves, h.TreeSize)).ToList()
                : [];
            await ZipDownload.EntryAsync(zip, AuditBundle.ConsistencyFile, stream => JsonSerializer.SerializeAsync(stream, proofs, AuditBundle.Json, ct));
            if (publicKey is not null)
                await ZipDownload.EntryAsync(zip, AuditBundle.PublicKeyFile, stream => stream.WriteAsync(Encoding.ASCII.GetBytes(publicKey), ct).AsTask());
        });
    }

    private static bool TryDate(string? text, out DateOnly? date)
    {
        date = null;
        if (string.IsNullOrWhiteSpace(text)) return true;
        if (!DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var parsed)) return false;
        date = parsed;
        return true;
    }

    /// <summary>The first instant of a date in China time.</summary>
    private static DateTimeOffset Start(DateOnly date) => new(date.ToDateTime(TimeOnly.MinValue), ChinaTime);

    /// <summary>The first (min) or last (max) leaf below the head's size whose event's timestamp compares so with the instant.</summary>
    private static async Task<long?> LeafAsync(NpgsqlConnection connection, string county, long size, string which, string comparison,
        DateTimeOffset instant, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand($"""
            select {which}(c.leaf_index) from {Chain} c join {Events} e on e.seq_id = c.seq_id
            where c.tenant_id = $1 and c.leaf_index < $2 and e.timestamp {comparison} $3
            """, connection);
        command.Parameters.AddWithValue(county);
        command.Parameters.AddWithValue(size);
        command.Parameters.AddWithValue(instant.ToUniversalTime());
        return await command.ExecuteScalarAsync(ct) is long leaf ? leaf : null;
    }

    /// <summary>
    /// One line per leaf of the range, the event stored at the leaf's sequence as it is now (an event
    /// since deleted leaves its leaf out: the auditor sees the gap), read a page of leaves at a time.
    /// </summary>
    private static async Task WriteEventsAsync(Stream stream, IMartenDatabase database, string county, long firstLeaf, long lastLeaf,
        IReadOnlyList<byte[]> leaves, CancellationToken ct)
    {
        await using var connection = await database.OpenConnectionAsync(ct);
        for (var lo = firstLeaf; lo <= lastLeaf; lo += Page)
        {
            await using var command = new NpgsqlCommand($"""
                select c.leaf_index, e.* from {Chain} c
                join lateral (select {HashChain.EventColumns} from {Events} where seq_id = c.seq_id) e on true
                where c.tenant_id = $1 and c.leaf_index between $2 and $3 order by c.leaf_index
                """, connection);
            command.Parameters.AddWithValue(county);
            command.Parameters.AddWithValue(lo);
            command.Parameters.AddWithValue(Math.Min(lastLeaf, lo + Page - 1));
            await using var reader = await command.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                var leaf = reader.GetInt64(0);
                var stored = HashChain.ReadEvent(reader, 1);
                var hashed = leaf >= 0 && leaf < leaves.Count ? HashChain.Hashed(stored, leaves[(int)leaf]) : HashedEvent.Of(stored);
                await stream.WriteAsync(JsonSerializer.SerializeToUtf8Bytes(new BundledEvent(leaf, hashed), AuditBundle.Json), ct);
                await stream.WriteAsync("\n"u8.ToArray(), ct);
            }
        }
    }
}
