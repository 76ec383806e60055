using Ledger.Api.Http;
using JasperFx.Events;
using Ledger.Domain.Common;
using Marten;

namespace Ledger.Api.Writes;

/// <summary>
/// Opens an existing stream for writing with the version the caller last saw: 404 when the stream
/// does not exist in the caller's county, 409 when it has moved on. Marten checks the version once
/// more at commit, so a race lost between the two is a 409 too.
/// </summary>
public static class ExistingStream
{
    public static async Task<(IEventStream<T>? Stream, IResult? Refusal)> OpenAsync<T>(
        IDocumentSession session, Guid id, long? bodyVersion, HttpContext context, string what, CancellationToken ct) where T : class
    {
        var (expectedVersion, conflict) = Writes.ExpectedVersion.Read(bodyVersion, context.Request);
        if (conflict is not null) return (null, ProblemAnswers.BadRequest(conflict).ToResult());
        if (expectedVersion is null or < 1)
            return (null, ProblemAnswers.BadRequest($"expectedVersion is required: the version of the {what} you last read").ToResult());
        var stream = await session.Events.FetchForWriting<T>(id, ct);
        if (stream.Aggregate is null)
            return (null, ProblemAnswers.NotFound($"no {what} {id} in this county").ToResult());
        if (stream.CurrentVersion != expectedVersion)
            return (null, ProblemAnswers.StaleVersion($"the {what}", expectedVersion.Value, stream.CurrentVersion ?? 0));
        return (stream, null);
    }

    /// <summary>
    /// The common path of a write to an existing stream: open it at the caller's version, let the
    /// use case decide (it may read more first), append what it decided, answer with the new version.
    /// </summary>
    public static async Task<IResult> WriteAsync<T>(IDocumentSession session, Guid id, long? bodyVersion, HttpContext context,
        string what, Func<T, Task<Decision>> decide, CancellationToken ct) where T : class
    {
        var (stream, refused) = await OpenAsync<T>(session, id, bodyVersion, context, what, ct);
        if (stream is null) return refused!;
        var decision = await decide(stream.Aggregate!);
        if (decision.Refusal is { } refusal) return refusal.ToResult();
        stream.AppendMany(decision.Events);
        return Results.Ok(new WriteAnswer(id, VersionOf(stream) + decision.Events.Count));
    }

    /// <summary>The version the stream was at when opened (what the caller said it last read).</summary>
    public static long VersionOf<T>(IEventStream<T> stream) where T : class => stream.StartingVersion ?? 0;
}
