using JasperFx.Events;
using Marten;

namespace Ledger.Api.Common;

/// <summary>
/// Opens an existing stream for writing with the version the caller last saw: 404 when the stream
/// does not exist in the caller's county, 409 when it has moved on. Marten checks the version once
/// more at commit, so a race lost between the two is a 409 too.
/// </summary>
public static class ExistingStream
{
    public static async Task<(IEventStream<T>? Stream, IResult? Refusal)> OpenAsync<T>(
        IDocumentSession session, Guid id, long? expectedVersion, string what, CancellationToken ct) where T : class
    {
        if (expectedVersion is null or < 1)
            return (null, ProblemAnswers.BadRequest($"expectedVersion is required: the version of the {what} you last read").ToResult());
        var stream = await session.Events.FetchForWriting<T>(id, ct);
        if (stream.Aggregate is null)
            return (null, ProblemAnswers.NotFound($"no {what} {id} in this county").ToResult());
        if (stream.CurrentVersion != expectedVersion)
            return (null, ProblemAnswers.StaleVersion($"the {what}", expectedVersion.Value, stream.CurrentVersion ?? 0));
        return (stream, null);
    }
}

/// <summary>The answer to a write on an existing stream: its id and the version it is at now.</summary>
public sealed record WriteAnswer(Guid Id, long Version);
