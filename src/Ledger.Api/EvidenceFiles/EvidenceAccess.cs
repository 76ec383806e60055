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
public static class EvidenceAccess
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
