using Marten;

namespace Ledger.Api.Accountability;

/// <summary>How current the async views are: the sequence the projection has processed up to, and the newest event.</summary>
public sealed record Freshness(long CurrentToSequence, long HighWaterMark)
{
    public bool Stale => CurrentToSequence < HighWaterMark;

    /// <summary>The progress in the database that holds the county.</summary>
    public static async Task<Freshness> ReadAsync(IDocumentStore store, string county, CancellationToken ct)
    {
        var progress = await store.Advanced.AllProjectionProgress(county, ct);
        var shards = progress.Where(p => p.ShardName.StartsWith("AccountabilityView", StringComparison.Ordinal)
                                         || p.ShardName.StartsWith("CaseRow", StringComparison.Ordinal)).ToList();
        var high = progress.FirstOrDefault(p => p.ShardName == "HighWaterMark")?.Sequence ?? 0;
        return new Freshness(shards.Count == 0 ? 0 : shards.Min(s => s.Sequence), high);
    }
}
