using Ledger.Api.Writes;
using Ledger.Domain.Inspections;
using Ledger.Domain.Rectifications;
using Marten;

namespace Ledger.Api.Inspections;

/// <summary>Cases a command names, read from their own streams (not from the case documents) in one round trip.</summary>
public static class CaseStreams
{
    /// <summary>Each named case that exists, with the version of its stream; unknown ids are simply absent.</summary>
    public static async Task<IReadOnlyDictionary<Guid, CaseAtVersion>> ReadAsync(Write write, IReadOnlyList<Guid> ids)
    {
        if (ids.Count == 0) return new Dictionary<Guid, CaseAtVersion>();
        var batch = write.Reads.CreateBatchQuery();
        var streams = ids.Select(id => batch.Events.FetchForWriting<Case>(id)).ToList();
        await batch.Execute(write.Cancellation);
        var found = new Dictionary<Guid, CaseAtVersion>();
        foreach (var load in streams)
        {
            var stream = await load;
            if (stream.Aggregate is { } current) found[stream.Id] = new CaseAtVersion(current, stream.CurrentVersion ?? 0);
        }
        return found;
    }
}
