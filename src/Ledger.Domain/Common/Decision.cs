namespace Ledger.Domain.Common;

/// <summary>Why a command was refused; the API turns it into problem details.</summary>
public enum RefusalKind
{
    /// <summary>400: the input itself is wrong.</summary>
    Invalid,
    /// <summary>404: something it names does not exist.</summary>
    NotFound,
    /// <summary>409: the current state does not allow it.</summary>
    Conflict,
    /// <summary>403: outside the caller's role or scope.</summary>
    Forbidden,
}

public sealed record Refusal(RefusalKind Kind, string Message, IReadOnlyList<string>? Errors = null)
{
    /// <summary>Further members of the answer beside the message (a 409's <c>currentRevision</c>).</summary>
    public IReadOnlyDictionary<string, object?>? Extensions { get; init; }

    public static Refusal Invalid(IReadOnlyList<string> errors) =>
        new(RefusalKind.Invalid, string.Join("; ", errors), errors);
    public static Refusal Invalid(string error) => Invalid([error]);
    public static Refusal Conflict(string message) => new(RefusalKind.Conflict, message);
    public static Refusal Conflict(IReadOnlyList<string> problems) => new(RefusalKind.Conflict, string.Join("; ", problems), problems);
    public static Refusal NotFound(string message) => new(RefusalKind.NotFound, message);
    public static Refusal Forbidden(string message) => new(RefusalKind.Forbidden, message);
}

/// <summary>
/// Events a decision appends to a stream other than the one it was made on, at the version the
/// decision read it at (a notification requires rectification on each case it names; a completed
/// village decision changes the village's status). Stale, the whole write is a 409.
/// </summary>
public sealed record StreamAppend(Guid StreamId, long ReadAtVersion, IReadOnlyList<object> Events);

/// <summary>
/// The outcome of a decide function: the events to append to the stream it decided on (the
/// aggregate it was given, or the new stream it starts), any appends to other streams, or the refusal.
/// </summary>
public sealed record Decision(IReadOnlyList<object> Events, Refusal? Refusal)
{
    public IReadOnlyList<StreamAppend> OtherStreams { get; init; } = [];

    public bool Accepted => Refusal is null;
    public static Decision Accept(params object[] events) => new(events, null);
    public static Decision Refuse(Refusal refusal) => new([], refusal);
    public static implicit operator Decision(Refusal refusal) => Refuse(refusal);

    /// <summary>The same decision, also appending <paramref name="events"/> to another stream read at <paramref name="readAtVersion"/>.</summary>
    public Decision AlsoAppend(Guid streamId, long readAtVersion, params object[] events) =>
        this with { OtherStreams = [.. OtherStreams, new StreamAppend(streamId, readAtVersion, events)] };
}
