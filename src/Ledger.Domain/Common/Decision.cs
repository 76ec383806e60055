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
    public static Refusal Invalid(IReadOnlyList<string> errors) =>
        new(RefusalKind.Invalid, string.Join("; ", errors), errors);
    public static Refusal Conflict(string message) => new(RefusalKind.Conflict, message);
    public static Refusal NotFound(string message) => new(RefusalKind.NotFound, message);
    public static Refusal Forbidden(string message) => new(RefusalKind.Forbidden, message);
}

/// <summary>The outcome of a decide function: the events to append, or the refusal.</summary>
public sealed record Decision(IReadOnlyList<object> Events, Refusal? Refusal)
{
    public bool Accepted => Refusal is null;
    public static Decision Accept(params object[] events) => new(events, null);
    public static Decision Refuse(Refusal refusal) => new([], refusal);
    public static implicit operator Decision(Refusal refusal) => Refuse(refusal);
}
