using System.Text.RegularExpressions;
using Ledger.Api.Http;
using Ledger.Api.Setup;
using Ledger.Api.Writes;
using Ledger.Domain.Identification;
using Ledger.Domain.Inspections;
using Ledger.Domain.Tips;
using Ledger.Projections.Inspections;
using Ledger.Projections.Cases;
using Marten;

namespace Ledger.Api.EvidenceFiles;

/// <summary>
/// Who may have a file, and the files a write cites. A file is readable by whoever may read at least
/// one record citing it (the read rules of <see cref="Write.MayReadAsync{T}"/>), and by its uploader
/// until then (and after). A write may cite only a file its caller may read, so knowing a hash is not
/// enough to get a file by citing it.
/// </summary>
public static partial class EvidenceAccess
{
    /// <summary>The records of the caller's county whose events cite the hash (a stream id each).</summary>
    public static async Task<IReadOnlyList<Guid>> CitingStreamsAsync(Write write, string sha256)
    {
        var ids = await write.Reads.AdvancedSql.QueryAsync<Guid>(
            $"select distinct stream_id from {MartenSetup.Schema}.mt_events where tenant_id = ? and data::text like ?",
            write.Cancellation, write.County, $"%\"{sha256}\"%");
        return ids;
    }

    /// <summary>May the caller have this file? Its uploader may; otherwise only a reader of a record that cites it.</summary>
    public static async Task<bool> MayReadAsync(Write write, EvidenceCatalog catalog, string sha256)
    {
        if (await catalog.UploadedByAsync(write.County, sha256, write.Caller.User, write.Cancellation)) return true;
        foreach (var id in await CitingStreamsAsync(write, sha256))
        {
            if (await write.Reads.LoadAsync<CaseView>(id, write.Cancellation) is not null)
            {
                if (await write.Reads.Events.AggregateStreamAsync<Case>(id, token: write.Cancellation) is { } c && await write.MayReadAsync(c)) return true;
            }
            else if (await write.Reads.LoadAsync<IdentificationDecision>(id, write.Cancellation) is { } decision)
            {
                if (await write.MayReadAsync(decision)) return true;
            }
            else if (await write.Reads.LoadAsync<Tip>(id, write.Cancellation) is { } tip && await write.MayReadAsync(tip)) return true;
        }
        return false;
    }

    /// <summary>
    /// The county's file by its hash when the caller may read it (<see cref="MayReadAsync"/>), else null: the download
    /// and the thumbnail answer 404 alike for a malformed hash, a hash the county does not hold and a file not the caller's.
    /// </summary>
    public static async Task<EvidenceFile?> ReadableAsync(Write write, EvidenceCatalog catalog, string sha256)
    {
        if (!Sha256Pattern().IsMatch(sha256)) return null;
        var found = await catalog.FindAsync(write.County, [sha256], write.Cancellation);
        return found.TryGetValue(sha256, out var file) && await MayReadAsync(write, catalog, sha256) ? file : null;
    }

    /// <summary>
    /// The stored bytes of a file, hashed again first and rewound: a mismatch (or bytes missing from the store) is logged
    /// as a critical alarm (<c>Ledger.Evidence</c>) and answered 500 with a problem saying the file is damaged, so that
    /// nothing made from damaged bytes — the file, a thumbnail — is ever sent.
    /// </summary>
    public static async Task<(Stream? Content, IResult? Alarm)> OpenIntactAsync(IEvidenceStore files, ILoggerFactory logs, string county,
        string sha256, CancellationToken ct)
    {
        var stream = await files.OpenAsync(county, sha256, ct);
        var actual = stream is null ? "(missing)" : await EvidenceHashing.HashAsync(stream, ct);
        if (actual != sha256)
        {
            if (stream is not null) await stream.DisposeAsync();
            logs.CreateLogger("Ledger.Evidence").LogCritical(
                "ALARM: evidence file {Sha256} of county {County} is damaged in storage: its bytes hash to {Actual}", sha256, county, actual);
            return (null, ProblemAnswers.EvidenceCorrupted(sha256).ToResult());
        }
        stream!.Position = 0;
        return (stream, null);
    }

    [GeneratedRegex("^[0-9a-f]{64}$")]
    private static partial Regex Sha256Pattern();

    /// <summary>
    /// The evidence a write cites, with each file's size and type from the store (what the caller
    /// sent for them is ignored), or a 400 naming the hashes the county does not hold or the caller may
    /// not read (the same answer for both). Nothing is appended on a refusal.
    /// </summary>
    public static async Task<(IReadOnlyList<Evidence>? Evidence, IResult? Refusal)> CitedAsync(this Write write, IReadOnlyList<Evidence>? evidence)
    {
        var catalog = write.Services.GetRequiredService<EvidenceCatalog>();
        var (resolved, unknown) = await catalog.ResolveAsync(write.County, evidence, write.Cancellation);
        var missing = unknown.ToList();
        if (resolved is not null)
            foreach (var sha in resolved.Where(e => e?.Size is not null).Select(e => e.Sha256!).Distinct())
                if (!await MayReadAsync(write, catalog, sha)) missing.Add(sha);
        if (missing.Count > 0)
            return (null, ProblemAnswers.BadRequest(
                $"no evidence file {string.Join(", ", missing)} in this county: upload it first (POST /api/evidence) and cite the sha256 it answers").ToResult());
        return (resolved, null);
    }
}
