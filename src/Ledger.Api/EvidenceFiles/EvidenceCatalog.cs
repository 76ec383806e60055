using Ledger.Api.Setup;
using Ledger.Api.Storage;
using Ledger.Domain.Inspections;
using Marten;
using Npgsql;

namespace Ledger.Api.EvidenceFiles;

/// <summary>Limits of evidence files (<c>Ledger:Evidence</c>): <c>MaxBytes</c> per file (default 50 MiB).</summary>
public sealed record EvidenceSettings(long MaxBytes)
{
    public const string Section = "Ledger:Evidence";
    public const long DefaultMaxBytes = 50L * 1024 * 1024;

    public static EvidenceSettings From(IConfiguration configuration)
    {
        var max = configuration.GetSection(Section).GetValue("MaxBytes", DefaultMaxBytes);
        if (max < 1) throw new InvalidOperationException($"{Section}:MaxBytes must be positive");
        return new EvidenceSettings(max);
    }
}

/// <summary>What the ledger knows of a stored file: its hash, size, sniffed type and the name it was uploaded under.</summary>
public sealed record EvidenceFile(string Sha256, long Size, string MediaType, string Name, PhotoMetadata? Photo = null);

/// <summary>The rows of <c>ledger.evidence_files</c>: which files a county holds, and who uploaded them.</summary>
public sealed class EvidenceCatalog(IDocumentStore store)
{
    private const string Files = $"{MartenSetup.Schema}.{LedgerTables.EvidenceFilesName}";

    public async Task RecordAsync(string county, EvidenceFile file, string uploadedBy, CancellationToken ct)
    {
        await using var connection = await (await store.DatabaseOfAsync(county)).OpenConnectionAsync(ct);
        await using var insert = new NpgsqlCommand(
            $"insert into {Files} (county, sha256, size, media_type, name, uploaded_by, taken_at, latitude, longitude) " +
            "values ($1, $2, $3, $4, $5, $6, $7, $8, $9) on conflict do nothing", connection);
        foreach (var value in new object[] { county, file.Sha256, file.Size, file.MediaType, file.Name, uploadedBy }) insert.Parameters.AddWithValue(value);
        insert.Parameters.Add(new NpgsqlParameter { Value = (object?)file.Photo?.TakenAt ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Timestamp });
        insert.Parameters.Add(new NpgsqlParameter { Value = (object?)file.Photo?.Latitude ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Double });
        insert.Parameters.Add(new NpgsqlParameter { Value = (object?)file.Photo?.Longitude ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Double });
        await insert.ExecuteNonQueryAsync(ct);
    }

    /// <summary>The county's files among <paramref name="hashes"/>, by hash (one row each, whoever uploaded it).</summary>
    public async Task<IReadOnlyDictionary<string, EvidenceFile>> FindAsync(string county, IReadOnlyCollection<string> hashes, CancellationToken ct)
    {
        var found = new Dictionary<string, EvidenceFile>();
        if (hashes.Count == 0) return found;
        await using var connection = await (await store.DatabaseOfAsync(county)).OpenConnectionAsync(ct);
        await using var select = new NpgsqlCommand(
            $"select distinct on (sha256) sha256, size, media_type, name, taken_at, latitude, longitude from {Files} where county = $1 and sha256 = any($2) order by sha256, uploaded_at", connection);
        select.Parameters.AddWithValue(county);
        select.Parameters.AddWithValue(hashes.ToArray());
        await using var reader = await select.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            DateTime? taken = reader.IsDBNull(4) ? null : reader.GetDateTime(4);
            double? lat = reader.IsDBNull(5) ? null : reader.GetDouble(5), lon = reader.IsDBNull(6) ? null : reader.GetDouble(6);
            found[reader.GetString(0)] = new EvidenceFile(reader.GetString(0), reader.GetInt64(1), reader.GetString(2), reader.GetString(3),
                taken is null && lat is null ? null : new PhotoMetadata(taken, lat, lon));
        }
        return found;
    }

    /// <summary>Did this user upload this file in this county?</summary>
    public async Task<bool> UploadedByAsync(string county, string sha256, string user, CancellationToken ct)
    {
        await using var connection = await (await store.DatabaseOfAsync(county)).OpenConnectionAsync(ct);
        await using var select = new NpgsqlCommand($"select 1 from {Files} where county = $1 and sha256 = $2 and uploaded_by = $3", connection);
        select.Parameters.AddWithValue(county);
        select.Parameters.AddWithValue(sha256);
        select.Parameters.AddWithValue(user);
        return await select.ExecuteScalarAsync(ct) is not null;
    }

    /// <summary>
    /// The evidence a write cites, resolved against the store: each item with the size and type of its
    /// file, or the list of hashes the county does not hold (the write is refused with 400). An item
    /// without a hash (a paper record described by title, as before files were kept) passes as it is.
    /// </summary>
    public async Task<(IReadOnlyList<Evidence>? Evidence, IReadOnlyList<string> Unknown)> ResolveAsync(string county,
        IReadOnlyList<Evidence>? evidence, CancellationToken ct)
    {
        if (evidence is null || evidence.Count == 0) return (evidence, []);
        var hashes = evidence.Where(e => e?.Sha256 is { Length: 64 }).Select(e => e.Sha256!.ToLowerInvariant()).Distinct().ToList();
        var found = await FindAsync(county, hashes, ct);
        var unknown = hashes.Where(h => !found.ContainsKey(h)).ToList();
        if (unknown.Count > 0) return (null, unknown);
        return (evidence.Select(e => e?.Sha256 is { Length: 64 } sha && found.TryGetValue(sha.ToLowerInvariant(), out var file)
            ? e with { Size = file.Size, MediaType = file.MediaType, TakenAt = file.Photo?.TakenAt, Latitude = file.Photo?.Latitude, Longitude = file.Photo?.Longitude }
            : e is null ? e! : e with { Size = null, MediaType = null, TakenAt = null, Latitude = null, Longitude = null }).ToList(), []);
    }
}
