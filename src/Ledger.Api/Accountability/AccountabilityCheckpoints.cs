using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Ledger.Api.Audit;
using Ledger.Api.Setup;
using Ledger.Api.Storage;
using Ledger.Domain.Audit;
using Ledger.Domain.Common;
using Ledger.Projections.Accountability;
using Marten;
using Npgsql;

namespace Ledger.Api.Accountability;

/// <summary>One checkpoint row: a county's accountability state of one year after every event up to a sequence.</summary>
public sealed record Checkpoint(string County, long Sequence, int Year, DateTimeOffset LastTimestamp, string ChainHash, string Content, string Mac);

/// <summary>A checkpoint that does not follow from the events (or whose seal or chain hash is wrong).</summary>
public sealed record DifferingCheckpoint(long Sequence, int Year, string Kind);

/// <summary>
/// Checkpoints of the folded accountability state (views and case rows), so that a past moment is
/// answered from the newest checkpoint before it plus the events after, not from the whole log.
/// A checkpoint is taken at a sequence the hash chain has reached (so no event can still appear below
/// it), one row per year, in an insert-only table (<see cref="LedgerTables.CheckpointsName"/>, history
/// like the chain). Each row is sealed: HMAC, under the key that seals events (outside the database), of
/// its county, sequence, year, last event time, the chain hash at its sequence and the SHA-256 of its
/// content. A read uses a row only if its seal verifies and the chain still has that hash at that
/// sequence; anything else is skipped (an older checkpoint, or the events from the start, are folded
/// instead). <c>ledger verify --views</c> refolds every checkpoint from the events and lists those that
/// differ. Written by <see cref="CheckpointSweeper"/> after each China-time midnight. See docs/views.md.
/// </summary>
public sealed class AccountabilityCheckpoints(IDocumentStore store, MacKey key)
{
    public const string Table = $"{MartenSetup.Schema}.{LedgerTables.CheckpointsName}";
    private const string Chain = $"{MartenSetup.Schema}.{LedgerTables.ChainName}";
    private const string Events = $"{MartenSetup.Schema}.{LedgerTables.EventsName}";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.General);

    /// <summary>What a checkpoint row holds for its year: views and case rows, each in id order.</summary>
    private sealed record Content(long LastEvent, List<AccountabilityView> Views, List<CaseRow> Cases);

    /// <summary>
    /// Takes a checkpoint of the county at the end of its hash chain, when the chain has grown since the
    /// last one: the state folded from the newest verified checkpoint (or the start) up to that sequence,
    /// one row for each year from the first with data to the checkpoint's own year. Returns the sequence,
    /// or null when nothing was taken.
    /// </summary>
    public async Task<long?> TakeAsync(string county, CancellationToken ct)
    {
        await using var session = store.QuerySession(county);
        await using var connection = await session.Database.OpenConnectionAsync(ct);
        long sequence;
        string chainHash;
        await using (var command = new NpgsqlCommand(
                         $"select seq_id, chain_hash from {Chain} where tenant_id = $1 order by leaf_index desc limit 1", connection))
        {
            command.Parameters.Add(new NpgsqlParameter { Value = county });
            await using var reader = await command.ExecuteReaderAsync(ct);
            if (!await reader.ReadAsync(ct)) return null;
            (sequence, chainHash) = (reader.GetInt64(0), reader.GetString(1));
        }
        var previous = await ScalarAsync<long?>(connection, $"select max(seq_id) from {Table} where tenant_id = $1", ct, county);
        if (previous >= sequence) return null;
        var newest = await ScalarAsync<DateTime?>(connection,
            $"select max(timestamp) from {Events} where tenant_id = $1 and seq_id <= $2", ct, county, sequence);
        if (newest is null) return null;
        DateTimeOffset? lastTimestamp = new DateTimeOffset(DateTime.SpecifyKind(newest.Value, DateTimeKind.Utc));

        var state = await StateAsync(session, sequence, ct);
        var years = state.Views.Values.Select(v => AccountabilityHistory.YearOf(v.Id)).OfType<int>().Concat(state.Cases.Values.Select(c => c.Year)).ToList();
        var thisYear = ChinaTime.Today(lastTimestamp.Value).Year;
        var from = years.Count == 0 ? thisYear : Math.Min(years.Min(), thisYear);
        var to = years.Count == 0 ? thisYear : Math.Max(years.Max(), thisYear);
        await using var tx = await connection.BeginTransactionAsync(ct);
        for (var year = from; year <= to; year++)
        {
            var content = ContentOf(state, year);
            var row = new Checkpoint(county, sequence, year, lastTimestamp.Value, chainHash, content, "");
            await using var insert = new NpgsqlCommand(
                $"insert into {Table} (tenant_id, seq_id, year, last_timestamp, chain_hash, content, mac) values ($1, $2, $3, $4, $5, $6, $7) on conflict do nothing",
                connection, tx);
            foreach (var value in new object[] { county, sequence, year, lastTimestamp.Value, chainHash, content, MacOf(row) })
                insert.Parameters.Add(new NpgsqlParameter { Value = value });
            await insert.ExecuteNonQueryAsync(ct);
        }
        await tx.CommitAsync(ct);
        return sequence;
    }

    /// <summary>Every view and case row of the county (all years) after the events up to the sequence, from the newest good checkpoint.</summary>
    private async Task<AccountabilityHistory.Start> StateAsync(IQuerySession session, long upTo, CancellationToken ct)
    {
        // All years at once: the newest sequence at which every year's row verifies is the start.
        var rows = await RowsAsync(session, null, null, upTo, ct);
        var start = rows.GroupBy(r => r.Sequence).OrderByDescending(g => g.Key)
            .FirstOrDefault(g => g.All(r => Verifies(r, r.ChainHashNow)));
        var views = new Dictionary<string, AccountabilityView>();
        var cases = new Dictionary<Guid, CaseRow>();
        if (start is not null)
            foreach (var row in start)
            {
                var content = JsonSerializer.Deserialize<Content>(row.Checkpoint.Content, Json)!;
                foreach (var view in content.Views) views[view.Id] = view;
                foreach (var c in content.Cases) cases[c.Id] = c;
            }
        var startLast = start is null ? 0 : JsonSerializer.Deserialize<Content>(start.First().Checkpoint.Content, Json)!.LastEvent;
        var state = new AccountabilityHistory.Start(views, cases, start?.Key ?? 0, startLast);
        var tail = await AccountabilityHistory.FoldTailAsync(session, state,
            k => views.TryGetValue(k, out var v) ? v : views[k] = new AccountabilityView { Id = k }, null, upTo, ct);
        return state with { LastEvent = Math.Max(startLast, tail) };
    }

    /// <summary>
    /// The newest checkpoint row of the year that covers only events up to the moment and sequence and
    /// verifies (seal and chain hash), as the start of a fold; null when there is none.
    /// </summary>
    internal static async Task<AccountabilityHistory.Start?> NewestAsync(IQuerySession session, MacKey key, int year, DateTimeOffset? asOf,
        long? upTo, CancellationToken ct)
    {
        foreach (var row in await RowsAsync(session, year, asOf, upTo, ct, limit: 5))
        {
            if (!Verifies(row, row.ChainHashNow, key)) continue;
            var content = JsonSerializer.Deserialize<Content>(row.Checkpoint.Content, Json)!;
            return new AccountabilityHistory.Start(content.Views.ToDictionary(v => v.Id), content.Cases.ToDictionary(c => c.Id), row.Checkpoint.Sequence,
                content.LastEvent);
        }
        return null;
    }

    /// <summary>A stored row with the chain hash the chain has now at its sequence (null if none).</summary>
    private sealed record StoredRow(Checkpoint Checkpoint, string? ChainHashNow)
    {
        public long Sequence => Checkpoint.Sequence;
    }

    private static async Task<List<StoredRow>> RowsAsync(IQuerySession session, int? year, DateTimeOffset? asOf, long? upTo, CancellationToken ct,
        int? limit = null)
    {
        await using var connection = await session.Database.OpenConnectionAsync(ct);
        await using var command = new NpgsqlCommand($"""
            select c.seq_id, c.year, c.last_timestamp, c.chain_hash, c.content, c.mac, ch.chain_hash
            from {Table} c left join {Chain} ch on ch.seq_id = c.seq_id and ch.tenant_id = c.tenant_id
            where c.tenant_id = $1 and ($2::int is null or c.year = $2) and ($3::timestamptz is null or c.last_timestamp <= $3)
              and ($4::bigint is null or c.seq_id <= $4)
              {(year is null ? "and c.seq_id = (select max(seq_id) from " + Table + " where tenant_id = $1 and ($4::bigint is null or seq_id <= $4))" : "")}
            order by c.seq_id desc, c.year {(limit is null ? "" : $"limit {limit}")}
            """, connection);
        command.Parameters.Add(new NpgsqlParameter { Value = session.TenantId });
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)year ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Integer });
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)asOf ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.TimestampTz });
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)upTo ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Bigint });
        var rows = new List<StoredRow>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
            rows.Add(new StoredRow(new Checkpoint(session.TenantId, reader.GetInt64(0), reader.GetInt32(1), reader.GetFieldValue<DateTimeOffset>(2),
                reader.GetString(3), reader.GetString(4), reader.GetString(5)), reader.IsDBNull(6) ? null : reader.GetString(6)));
        return rows;
    }

    /// <summary>
    /// Checks every checkpoint row of the county against its events: the seal, the chain hash at its
    /// sequence, and its content against a fold of the events from the first up to its sequence.
    /// </summary>
    public async Task<IReadOnlyList<DifferingCheckpoint>> VerifyAsync(string county, CancellationToken ct)
    {
        await using var session = store.QuerySession(county);
        await using var connection = await session.Database.OpenConnectionAsync(ct);
        var all = new List<StoredRow>();
        foreach (var sequence in await SequencesAsync(connection, county, ct))
            all.AddRange(await RowsAsync(session, null, null, sequence, ct));
        var differing = new List<DifferingCheckpoint>();
        foreach (var group in all.GroupBy(r => r.Sequence).OrderBy(g => g.Key))
        {
            // From the first event: a checkpoint is never checked against another checkpoint.
            var state = new AccountabilityHistory.Start([], [], 0, 0);
            var last = await AccountabilityHistory.FoldTailAsync(session, state,
                k => state.Views.TryGetValue(k, out var v) ? v : state.Views[k] = new AccountabilityView { Id = k }, null, group.Key, ct);
            foreach (var row in group)
            {
                string? kind = row.ChainHashNow is null ? "no chain entry at its sequence"
                    : row.ChainHashNow != row.Checkpoint.ChainHash ? "chain hash differs"
                    : !Verifies(row, row.ChainHashNow, key) ? "seal does not verify"
                    : !SameContent(ContentOf(state with { LastEvent = last }, row.Checkpoint.Year), row.Checkpoint.Content) ? "content differs from its events"
                    : null;
                if (kind is not null) differing.Add(new DifferingCheckpoint(row.Sequence, row.Checkpoint.Year, kind));
            }
        }
        return differing;
    }

    private static async Task<List<long>> SequencesAsync(NpgsqlConnection connection, string county, CancellationToken ct)
    {
        var sequences = new List<long>();
        await using var command = new NpgsqlCommand($"select distinct seq_id from {Table} where tenant_id = $1 order by 1", connection);
        command.Parameters.Add(new NpgsqlParameter { Value = county });
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct)) sequences.Add(reader.GetInt64(0));
        return sequences;
    }

    private static bool SameContent(string expected, string stored)
    {
        try
        {
            using var a = JsonDocument.Parse(expected);
            using var b = JsonDocument.Parse(stored);
            return JsonElement.DeepEquals(a.RootElement, b.RootElement);
        }
        catch (JsonException)
        {
            return false;
        }
    }

    /// <summary>The content of one year's row: that year's views and the case rows counted in it, in id order.</summary>
    private static string ContentOf(AccountabilityHistory.Start state, int year) => JsonSerializer.Serialize(new Content(state.LastEvent,
        state.Views.Values.Where(v => AccountabilityHistory.YearOf(v.Id) == year).OrderBy(v => v.Id, StringComparer.Ordinal).ToList(),
        state.Cases.Values.Where(c => c.Year == year).OrderBy(c => c.Id).ToList()), Json);

    private bool Verifies(StoredRow row, string? chainHashNow) => Verifies(row, chainHashNow, key);

    private static bool Verifies(StoredRow row, string? chainHashNow, MacKey key) =>
        chainHashNow is not null && chainHashNow == row.Checkpoint.ChainHash
        && CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(Seal(row.Checkpoint, key)), Encoding.ASCII.GetBytes(row.Checkpoint.Mac));

    private string MacOf(Checkpoint row) => Seal(row, key);

    /// <summary>
    /// The seal: HMAC-SHA256 (hex) of <c>ledger-checkpoint-v1</c>, county, sequence, year, last event time
    /// (UTC, microseconds), chain hash and the SHA-256 of the content, one per line.
    /// </summary>
    public static string Seal(Checkpoint row, MacKey key) => EventMac.Compute(key.Key, string.Join("\n",
        "ledger-checkpoint-v1", row.County, row.Sequence.ToString(CultureInfo.InvariantCulture), row.Year.ToString(CultureInfo.InvariantCulture),
        row.LastTimestamp.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture), row.ChainHash,
        LedgerHashing.Hex(SHA256.HashData(Encoding.UTF8.GetBytes(row.Content)))));

    private static async Task<T?> ScalarAsync<T>(NpgsqlConnection connection, string sql, CancellationToken ct, params object[] values)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var value in values) command.Parameters.Add(new NpgsqlParameter { Value = value });
        var result = await command.ExecuteScalarAsync(ct);
        return result is null or DBNull ? default : (T)result;
    }
}

/// <summary>
/// Takes a checkpoint of every served county when the ledger starts and again after each China-time
/// midnight, so a past moment is never more than about a day of events from a checkpoint.
/// <c>Ledger:Checkpoints:Daily</c> false turns it off (the tests take checkpoints when they choose).
/// </summary>
public sealed class CheckpointSweeper(AccountabilityCheckpoints checkpoints, ServedCounties counties, IConfiguration configuration,
    TimeProvider clock, IHostApplicationLifetime lifetime, ILogger<CheckpointSweeper> log) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (configuration.GetValue<bool?>("Ledger:Checkpoints:Daily") == false) return;
        var started = new TaskCompletionSource();
        using (lifetime.ApplicationStarted.Register(() => started.TrySetResult()))
        using (stoppingToken.Register(() => started.TrySetCanceled(stoppingToken)))
            await started.Task;
        while (!stoppingToken.IsCancellationRequested)
        {
            foreach (var county in counties.All)
            {
                try
                {
                    await checkpoints.TakeAsync(county, stoppingToken);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    log.LogError(e, "Checkpoint of county {County} failed; the next sweep tries again", county);
                }
            }
            // A minute past the next China-time midnight: the chain has caught up with the day's last events by then.
            var now = clock.GetUtcNow();
            var midnight = new DateTimeOffset(ChinaTime.Today(now).AddDays(1).ToDateTime(TimeOnly.MinValue), ChinaTime.Offset);
            await Task.Delay(midnight - now + TimeSpan.FromMinutes(1), clock, stoppingToken);
        }
    }
}
