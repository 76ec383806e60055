using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using Ledger.Api.Setup;
using Ledger.Api.Storage;
using Ledger.Domain.Audit;
using Npgsql;

namespace Ledger.Api.Audit;

/// <summary>Settings of signed tree heads, from configuration section <c>Ledger:Audit</c>.</summary>
public sealed class AuditSettings
{
    public const string Section = "Ledger:Audit";

    /// <summary>The ECDSA P-256 private key (PKCS#8 PEM, or its DER in base64). Never in the database. run.sh makes one in .local/.</summary>
    public string? SigningKey { get; set; }

    /// <summary>The append-only directory every head is also written to, outside the database (one file per head).</summary>
    public string? WitnessDirectory { get; set; }

    /// <summary>The chain writer makes a head when the chain grew, at most this often.</summary>
    public TimeSpan HeadInterval { get; set; } = TimeSpan.FromMinutes(1);

    public static AuditSettings From(IConfiguration configuration) =>
        configuration.GetSection(Section).Get<AuditSettings>() ?? new AuditSettings();
}

/// <summary>
/// A county's log contradicts a signed head it once had: <c>truncated</c> (shorter than the head) or
/// <c>inconsistent</c> (its root at the head's size is not the head's root). <c>HeadSize</c> is the
/// newest head known; <c>AtSize</c> the smallest head size the log no longer reproduces.
/// </summary>
public sealed record HeadAlarm(string Kind, long HeadSize, long AtSize, string Detail)
{
    /// <summary>The county whose log it is.</summary>
    public string County { get; init; } = "";
}


/// <summary>
/// Signed tree heads of each county's log: made by the chain writer (when the log grew, at most once
/// per <see cref="AuditSettings.HeadInterval"/>) and on demand, stored in <c>ledger.ledger_heads</c> and
/// in the witness directory outside the database, and checked against the log before every
/// extension: a log shorter than a head it had, or whose root at a head's size is not that
/// head's, is an alarm — the writer stops extending that county's log and /health answers 503. See docs/audit.md.
/// </summary>
public sealed class TreeHeads : IDisposable
{
    public const string Table = $"{MartenSetup.Schema}.{LedgerTables.HeadsName}";
    private const string Chain = $"{MartenSetup.Schema}.{LedgerTables.ChainName}";
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    private readonly AuditSettings _settings;
    private readonly TimeProvider _clock;
    private readonly ILogger<TreeHeads> _logger;
    private readonly ECDsa? _key;
    private readonly ConcurrentDictionary<(string Database, string County), HeadAlarm?> _status = new();
    private readonly ConcurrentDictionary<string, (long Size, string Root)> _verified = new();
    private readonly ConcurrentDictionary<string, long> _lastMade = new();
    private readonly ConcurrentDictionary<string, bool> _valid = new();

    public TreeHeads(AuditSettings settings, TimeProvider clock, ILogger<TreeHeads> logger)
    {
        (_settings, _clock, _logger) = (settings, clock, logger);
        if (!string.IsNullOrWhiteSpace(settings.SigningKey))
        {
            try
            {
                _key = TreeHeadSignature.LoadPrivateKey(settings.SigningKey);
            }
            catch (Exception e) when (e is CryptographicException or FormatException)
            {
                throw new InvalidOperationException($"{AuditSettings.Section}:SigningKey is not an ECDSA P-256 private key " +
                                                    "(PKCS#8 PEM, or its DER in base64; ./run.sh makes one in .local/head-key.pem): " + e.Message, e);
            }
            KeyId = TreeHeadSignature.KeyId(_key);
            PublicKeyPem = TreeHeadSignature.PublicKeyPem(_key);
        }
        if (!string.IsNullOrWhiteSpace(settings.WitnessDirectory)) WitnessDirectory = Path.GetFullPath(settings.WitnessDirectory);
    }

    public bool Signed => _key is not null;
    public string? KeyId { get; }
    public string? PublicKeyPem { get; }
    public string? WitnessDirectory { get; }

    /// <summary>The alarm of each county (with its database) whose log contradicts a head, as the last check found it.</summary>
    public IReadOnlyDictionary<(string Database, string County), HeadAlarm> Alarms =>
        _status.Where(s => s.Value is not null).ToDictionary(s => s.Key, s => s.Value!);

    /// <summary>
    /// Checks the log of every county of the database that has a signed head (table or witness);
    /// returns the counties whose log contradicts one (the writer chains nothing more into those).
    /// </summary>
    public async Task<IReadOnlyList<string>> GuardAllAsync(string database, NpgsqlConnection connection, NpgsqlTransaction? tx, CancellationToken ct)
    {
        var alarmed = new List<string>();
        foreach (var county in await CountiesAsync(database, connection, tx, ct))
            if (await GuardAsync(database, county, connection, tx, full: false, ct) is not null)
                alarmed.Add(county);
        return alarmed;
    }

    /// <summary>The counties of the database with a head in the table or in the witness directory.</summary>
    public async Task<IReadOnlyList<string>> CountiesAsync(string database, NpgsqlConnection connection, NpgsqlTransaction? tx, CancellationToken ct)
    {
        var counties = new SortedSet<string>(StringComparer.Ordinal);
        await using (var command = new NpgsqlCommand($"select distinct county from {Table}", connection, tx))
        await using (var reader = await command.ExecuteReaderAsync(ct))
            while (await reader.ReadAsync(ct))
                counties.Add(reader.GetString(0));
        // The witness keeps one directory per county; the county is the one its heads name.
        if (WitnessOf(database) is { } root && Directory.Exists(root))
            foreach (var directory in Directory.EnumerateDirectories(root))
                if (ReadWitnessDirectory(directory).FirstOrDefault() is { } head && WitnessOf(database, head.County) == directory)
                    counties.Add(head.County);
        return counties.ToList();
    }

    /// <summary>
    /// Checks a county's log against its newest heads known (table and witness). Cheap when the newest
    /// head was verified before (its size and last chain hash); otherwise, or when <paramref name="full"/>,
    /// recomputes the root at every head's size in one pass over the log.
    /// </summary>
    public async Task<HeadAlarm?> GuardAsync(string database, string county, NpgsqlConnection connection, NpgsqlTransaction? tx, bool full,
        CancellationToken ct)
    {
        HeadAlarm? alarm = null;
        if ((await KnownAsync(database, county, connection, tx, ct, newestOnly: true)).LastOrDefault() is { } newest)
        {
            var cheap = !full && _verified.TryGetValue(county, out var verified) && verified == (newest.TreeSize, newest.MerkleRoot)
                        && await StillEndsAsync(newest, connection, tx, ct);
            if (!cheap) alarm = await CheckAllAsync(county, await KnownAsync(database, county, connection, tx, ct), connection, tx, ct);
            if (alarm is null) _verified[county] = (newest.TreeSize, newest.MerkleRoot);
            else _verified.TryRemove(county, out _);
        }
        var before = _status.TryGetValue((database, county), out var was) ? was : null;
        _status[(database, county)] = alarm;
        if (alarm is not null && alarm != before)
            _logger.LogCritical("Log of county {County} (database {Database}): {Alarm}. The chain writer stops extending it until this is resolved.",
                county, database, alarm.Detail);
        else if (alarm is null && before is not null)
            _logger.LogWarning("Log of county {County} (database {Database}) is consistent with its signed heads again", county, database);
        return alarm;
    }

    /// <summary>The county's log still has exactly the head's size, its last leaf the head's last sequence and chain hash.</summary>
    private static async Task<bool> StillEndsAsync(SignedHead head, NpgsqlConnection connection, NpgsqlTransaction? tx, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand($"""
            select (select count(*) from {Chain} where tenant_id = $1 and leaf_index < $2),
                   (select chain_hash from {Chain} where tenant_id = $1 and leaf_index = $2 - 1 and seq_id = $3)
            """, connection, tx);
        command.Parameters.AddWithValue(head.County);
        command.Parameters.AddWithValue(head.TreeSize);
        command.Parameters.AddWithValue(head.LastSequence);
        await using var reader = await command.ExecuteReaderAsync(ct);
        await reader.ReadAsync(ct);
        return reader.GetInt64(0) == head.TreeSize && !reader.IsDBNull(1) && reader.GetString(1) == head.ChainHead.Trim();
    }

    private static async Task<HeadAlarm?> CheckAllAsync(string county, IReadOnlyList<SignedHead> heads, NpgsqlConnection connection, NpgsqlTransaction? tx,
        CancellationToken ct)
    {
        var newest = heads[^1];
        var tree = new MerkleTree.Builder();
        var (lastSeq, lastChain) = (0L, "");
        var next = 0;
        long consistentUpTo = 0;
        await using (var command = new NpgsqlCommand(
                         $"select seq_id, content_hash, chain_hash from {Chain} where tenant_id = $1 order by leaf_index limit $2", connection, tx))
        {
            command.Parameters.AddWithValue(county);
            command.Parameters.AddWithValue(newest.TreeSize);
            await using var reader = await command.ExecuteReaderAsync(ct);
            while (next < heads.Count && await reader.ReadAsync(ct))
            {
                tree.Add(MerkleTree.Leaf(Convert.FromHexString(reader.GetString(1))));
                (lastSeq, lastChain) = (reader.GetInt64(0), reader.GetString(2));
                for (; next < heads.Count && heads[next].TreeSize == tree.Count; next++)
                {
                    var head = heads[next];
                    var root = LedgerHashing.Hex(tree.Root());
                    if (root != head.MerkleRoot.Trim() || lastChain != head.ChainHead.Trim() || lastSeq != head.LastSequence)
                        return new HeadAlarm("inconsistent", newest.TreeSize, head.TreeSize,
                            $"chain inconsistent with signed head {newest.TreeSize} at size {head.TreeSize}: county {county}'s log's first {head.TreeSize} entries " +
                            $"give root {root} (last sequence {lastSeq}), the head signed {head.MerkleRoot.Trim()} (last sequence {head.LastSequence}); " +
                            $"what changed lies among chain entries {consistentUpTo + 1}–{head.TreeSize} (leaf indices {consistentUpTo}–{head.TreeSize - 1})") { County = county };
                    consistentUpTo = head.TreeSize;
                }
            }
        }
        return tree.Count < newest.TreeSize
            ? new HeadAlarm("truncated", newest.TreeSize, newest.TreeSize,
                $"chain truncated below signed head {newest.TreeSize}: county {county}'s log holds {tree.Count} entries, the head signed {newest.TreeSize} " +
                $"(last sequence {newest.LastSequence})") { County = county }
            : null;
    }

    /// <summary>Whether the writer may make a head of the county now (the interval since its last has passed).</summary>
    public bool IsDue(string county) =>
        !_lastMade.TryGetValue(county, out var last) || Environment.TickCount64 - last >= _settings.HeadInterval.TotalMilliseconds;

    /// <summary>
    /// Makes a head of a county's log as it stands, under the chain's lock: when <paramref name="force"/>,
    /// or when the log grew and the interval has passed. Refused (the alarm) when the log
    /// contradicts a head. Returns the newest head (the new one, or the last when nothing grew).
    /// </summary>
    public async Task<(SignedHead? Head, HeadAlarm? Alarm)> MakeAsync(string database, string county, NpgsqlConnection connection, bool force,
        CancellationToken ct)
    {
        if (!force && !IsDue(county)) return (null, null);
        await using var tx = await connection.BeginTransactionAsync(ct);
        await using (var lockCommand = new NpgsqlCommand($"select pg_advisory_xact_lock({HashChain.LockKey})", connection, tx))
            await lockCommand.ExecuteNonQueryAsync(ct);
        if (await GuardAsync(database, county, connection, tx, full: false, ct) is { } alarm) return (null, alarm);
        var known = await KnownAsync(database, county, connection, tx, ct, newestOnly: true);
        await using (var count = new NpgsqlCommand($"select coalesce(max(leaf_index) + 1, 0) from {Chain} where tenant_id = $1", connection, tx))
        {
            count.Parameters.AddWithValue(county);
            if ((long)(await count.ExecuteScalarAsync(ct))! is var size && (size == 0 || known.Count > 0 && known[^1].TreeSize >= size))
                return (known.LastOrDefault(), null);
        }
        var chain = await HashChain.TreeOfAsync(connection, tx, county, ct);
        if (chain.TreeSize == 0 || known.Count > 0 && known[^1].TreeSize >= chain.TreeSize) return (known.LastOrDefault(), null);

        var head = new TreeHead(county, chain.TreeSize, chain.MerkleRoot, chain.HeadHash, chain.LastSequence, TreeHead.Microseconds(_clock.GetUtcNow()));
        var signed = SignedHead.Of(head, _key is null ? null : TreeHeadSignature.Sign(head, _key), KeyId);
        await using (var insert = new NpgsqlCommand(
                         $"insert into {Table} (county, tree_size, merkle_root, chain_head, last_seq, head_time, signature, key_id) values ($1, $2, $3, $4, $5, $6, $7, $8)",
                         connection, tx))
        {
            insert.Parameters.AddWithValue(head.County);
            insert.Parameters.AddWithValue(head.TreeSize);
            insert.Parameters.AddWithValue(head.MerkleRoot);
            insert.Parameters.AddWithValue(head.ChainHead);
            insert.Parameters.AddWithValue(head.LastSequence);
            insert.Parameters.AddWithValue(head.Time);
            insert.Parameters.AddWithValue((object?)signed.Signature ?? DBNull.Value);
            insert.Parameters.AddWithValue((object?)signed.KeyId ?? DBNull.Value);
            await insert.ExecuteNonQueryAsync(ct);
        }
        await WitnessAsync(database, signed, ct);
        await tx.CommitAsync(ct);
        _lastMade[county] = Environment.TickCount64;
        _verified[county] = (head.TreeSize, head.MerkleRoot);
        _logger.LogInformation("Tree head of county {County} (database {Database}): size {Size}, root {Root}{Signed}", county, database, head.TreeSize,
            head.MerkleRoot, _key is null ? " (unsigned)" : "");
        return (signed, null);
    }

    /// <summary>
    /// Every valid head known for the county, from the table and the witness, ordered by size (one
    /// per size); with <paramref name="newestOnly"/>, only the newest valid one of each place (what the
    /// writer's every-two-seconds check needs, however many heads there are).
    /// </summary>
    public async Task<IReadOnlyList<SignedHead>> KnownAsync(string database, string county, NpgsqlConnection connection, NpgsqlTransaction? tx,
        CancellationToken ct, bool newestOnly = false)
    {
        var heads = new List<SignedHead>();
        await using (var command = new NpgsqlCommand(
                         $"select county, tree_size, merkle_root, chain_head, last_seq, head_time, signature, key_id from {Table} where county = $1 order by tree_size desc",
                         connection, tx))
        {
            command.Parameters.AddWithValue(county);
            await using var reader = await command.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                var head = new TreeHead(reader.GetString(0), reader.GetInt64(1), reader.GetString(2).Trim(), reader.GetString(3).Trim(), reader.GetInt64(4),
                    reader.GetFieldValue<DateTimeOffset>(5));
                var signed = SignedHead.Of(head, reader.IsDBNull(6) ? null : Convert.FromBase64String(reader.GetString(6)),
                    reader.IsDBNull(7) ? null : reader.GetString(7).Trim());
                if (!Valid(county, signed)) continue;
                heads.Add(signed);
                if (newestOnly) break;
            }
        }
        if (WitnessOf(database, county) is { } directory)
            foreach (var head in ReadWitnessDirectory(directory))
            {
                if (!Valid(county, head)) continue;
                heads.Add(head);
                if (newestOnly) break;
            }
        return heads.GroupBy(h => (h.TreeSize, h.MerkleRoot.Trim(), h.ChainHead.Trim(), h.LastSequence))
            .Select(g => g.First()).OrderBy(h => h.TreeSize).ToList();
    }

    /// <summary>
    /// A head counts when it is of this county and, with a key configured, its signature verifies
    /// (a head planted in the table or the witness without the key is ignored, and logged once).
    /// </summary>
    private bool Valid(string county, SignedHead head)
    {
        // Signatures already checked are remembered (by a hash of the whole head; bounded).
        var key = Convert.ToHexString(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes($"{county}|{head}")));
        if (_valid.ContainsKey(key)) return true;
        if (!Checked(county, head)) return false;
        if (_valid.Count > 100_000) _valid.Clear();
        _valid[key] = true;
        return true;
    }

    private bool Checked(string county, SignedHead head)
    {
        bool ok;
        try
        {
            ok = head.County == county && head.SignedText == head.Head().CanonicalText
                 && (_key is null || head.Signature is not null && TreeHeadSignature.Verify(head.Head(), Convert.FromBase64String(head.Signature), _key));
        }
        catch (FormatException)
        {
            ok = false;
        }
        if (!ok)
            _logger.LogWarning("Ignoring tree head of size {Size} for county {County}: not of this county, not as its signed text says, " +
                               "or its signature does not verify with the key", head.TreeSize, county);
        return ok;
    }

    /// <summary>The witness directory of one database: <c>{WitnessDirectory}/{database}</c>.</summary>
    public string? WitnessOf(string database) => WitnessDirectory is null ? null : Path.Combine(WitnessDirectory, Safe(database));

    /// <summary>The witness directory of one county's heads: <c>{WitnessDirectory}/{database}/{county}</c>.</summary>
    public string? WitnessOf(string database, string county) => WitnessOf(database) is { } root ? Path.Combine(root, Safe(county)) : null;

    private static string Safe(string name) => string.Concat(name.Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' ? c : '_'));

    /// <summary>File name of a head: its tree size, zero-padded so names sort as sizes.</summary>
    private static string FileName(long treeSize) => $"{treeSize:D20}.json";

    private async Task WitnessAsync(string database, SignedHead head, CancellationToken ct)
    {
        if (WitnessOf(database, head.County) is not { } directory) return;
        Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, FileName(head.TreeSize));
        try
        {
            // Never overwritten: CreateNew fails when a head of that size was witnessed before.
            await using var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None);
            await JsonSerializer.SerializeAsync(file, head, Json, ct);
            await file.FlushAsync(ct);
        }
        catch (IOException) when (File.Exists(path))
        {
            _logger.LogWarning("Witness file {Path} exists already and is left as it is", path);
        }
    }

    private IEnumerable<SignedHead> ReadWitnessDirectory(string directory)
    {
        if (!Directory.Exists(directory)) yield break;
        // Newest first: the names are the zero-padded tree sizes.
        foreach (var path in Directory.EnumerateFiles(directory, "*.json").OrderDescending(StringComparer.Ordinal))
        {
            SignedHead? head;
            try
            {
                head = JsonSerializer.Deserialize<SignedHead>(File.ReadAllText(path), Json);
            }
            catch (Exception e) when (e is JsonException or IOException)
            {
                _logger.LogWarning("Witness file {Path} is not a tree head: {Message}", path, e.Message);
                continue;
            }
            if (head is not null) yield return head;
        }
    }

    /// <summary>The leaf hashes of the first <paramref name="size"/> leaves of a county's log, in leaf order (32 bytes each, in memory).</summary>
    public static async Task<List<byte[]>> LeavesAsync(NpgsqlConnection connection, string county, long size, CancellationToken ct)
    {
        var leaves = new List<byte[]>();
        await using var command = new NpgsqlCommand($"select content_hash from {Chain} where tenant_id = $1 order by leaf_index limit $2", connection);
        command.Parameters.AddWithValue(county);
        command.Parameters.AddWithValue(size);
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct)) leaves.Add(MerkleTree.Leaf(Convert.FromHexString(reader.GetString(0))));
        return leaves;
    }

    /// <summary>The consistency proof between the first <paramref name="from"/> and first <paramref name="to"/> leaves of a county's log.</summary>
    public static async Task<(ConsistencyAnswer? Answer, string? Refusal)> ConsistencyAsync(NpgsqlConnection connection, string county, long from, long to,
        CancellationToken ct)
    {
        var leaves = await LeavesAsync(connection, county, to, ct);
        if (leaves.Count < to) return (null, $"the county's log holds {leaves.Count} entries, fewer than {to}");
        return (Consistency(leaves, from), null);
    }

    /// <summary>The consistency proof from the tree of the first <paramref name="from"/> leaves to the tree of all <paramref name="leaves"/>.</summary>
    public static ConsistencyAnswer Consistency(IReadOnlyList<byte[]> leaves, long from)
    {
        var proof = MerkleTree.ConsistencyProof(leaves, (int)from);
        return new ConsistencyAnswer(from, leaves.Count, LedgerHashing.Hex(MerkleTree.Root(leaves.Take((int)from).ToList())), LedgerHashing.Hex(MerkleTree.Root(leaves)),
            proof.Select(p => LedgerHashing.Hex(p)).ToList());
    }

    public void Dispose() => _key?.Dispose();
}
