namespace Ledger.Domain.Assessment;

/// <summary>
/// One line of a breakdown: the rule that applied, the points it moved (negative for a deduction),
/// the group, and the events that caused it. A group's cap appears as its own line, so the lines
/// always sum, with the weights, exactly to the score.
/// </summary>
public sealed record ScoreLine(string Rule, string Group, decimal Points, string Description, IReadOnlyList<Guid> EventIds);
