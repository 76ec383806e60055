using Ledger.Domain.Common;

namespace Ledger.Domain.Assessment;

/// <summary>
/// 发布考核细则: a rulebook for a year, published by the poverty office. A later one for the same year
/// is a new version; the latest is in force. Stream: one per county and year.
/// </summary>
[Label("发布考核细则")]
public sealed record RulebookPublished(Guid RulebookStreamId, int Year, int Version, Rulebook Rulebook, string PublishedBy, DateOnly PublishedOn);

/// <summary>One score as published: the total, the grade, the rank, and every line that made it.</summary>
public sealed record PublishedScore(string Scope, string Code, decimal Score, string Grade, int Rank, IReadOnlyList<ScoreLine> Lines);

/// <summary>What changed from the previous revision for one town or unit.</summary>
public sealed record ScoreChange(string Scope, string Code, decimal Before, decimal After, string GradeBefore, string GradeAfter);

/// <summary>
/// 发布考核结果: the assessment of a year frozen — rulebook version, the as-of point, every score
/// with its breakdown. A correction is a later revision that says why and names what changed.
/// Stream: one per county and year.
/// </summary>
[Label("发布考核结果")]
public sealed record AssessmentPublished(
    Guid AssessmentStreamId, int Year, int Revision, int RulebookVersion, DateTimeOffset AsOf, long AsOfSequence,
    IReadOnlyList<PublishedScore> Scores, string? Reason, IReadOnlyList<ScoreChange> Changes, string PublishedBy, DateOnly PublishedOn);
