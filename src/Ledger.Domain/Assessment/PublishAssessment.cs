using Ledger.Domain.Access;
using Ledger.Domain.Common;

namespace Ledger.Domain.Assessment;

/// <summary>The revisions of a year's assessment published so far, and the latest (the stream's write model, aggregated live).</summary>
public sealed record PublishedAssessment(Guid Id, int Year, int Revisions, AssessmentPublished Latest)
{
    public static PublishedAssessment Create(AssessmentPublished e) => new(e.AssessmentStreamId, e.Year, e.Revision, e);

    public PublishedAssessment Apply(AssessmentPublished e) => this with { Revisions = e.Revision, Latest = e };
}

/// <summary>A year's assessment as computed at the as-of point: the rulebook version, where the events stop, every score.</summary>
public sealed record AssessmentResult(int RulebookVersion, DateTimeOffset AsOf, long AsOfSequence, IReadOnlyList<PublishedScore> Scores);

/// <summary>
/// 发布考核结果: freeze the year's assessment as of a moment (default now). The first publication
/// is revision 1; a correction is a later revision that gives its reason (and the revision it
/// corrects, as expectedRevision) and names what changed.
/// </summary>
public sealed record PublishAssessment(DateTimeOffset? AsOf, string? Reason, int? ExpectedRevision)
{
    /// <summary>A year's published assessment stream follows from its county and year.</summary>
    public static Guid StreamOf(string county, int year) => StableId.For("assessment", county, year.ToString());

    /// <summary>What refuses the publication before anything is computed: the request itself, or the revision it corrects.</summary>
    public Refusal? Check(PublishedAssessment? current, int year, DateTimeOffset now)
    {
        if (AsOf > now) return new Refusal(RefusalKind.Invalid, "asOf is in the future");
        if (new Checks().Text(Reason, "reason", Checks.LongText, required: false).ToRefusal() is { } invalid) return invalid;
        if (current is null) return null;
        if (ExpectedRevision != current.Revisions)
            return new Refusal(RefusalKind.Conflict, $"the assessment of {year} is at revision {current.Revisions}: a correction names it as expectedRevision")
            {
                Extensions = new Dictionary<string, object?> { ["currentRevision"] = current.Revisions },
            };
        if (string.IsNullOrWhiteSpace(Reason))
            return new Refusal(RefusalKind.Invalid, "a correction (a later revision) says why: reason is required");
        return null;
    }

    /// <summary>
    /// Publishes <paramref name="computed"/> on the stream <paramref name="id"/> as the revision after
    /// <paramref name="current"/> (null: none yet); a correction that changes nothing is refused.
    /// </summary>
    public Decision Decide(Guid id, int year, PublishedAssessment? current, AssessmentResult computed, Caller caller, DateTimeOffset now)
    {
        if (Check(current, year, now) is { } refused) return refused;
        var changes = current is null ? [] : Changes(current.Latest.Scores, computed.Scores);
        if (current is not null && changes.Count == 0 && current.Latest.RulebookVersion == computed.RulebookVersion)
            return Refusal.Conflict($"nothing changed since revision {current.Revisions}");
        var revision = (current?.Revisions ?? 0) + 1;
        return Decision.Accept(new AssessmentPublished(id, year, revision, computed.RulebookVersion, computed.AsOf, computed.AsOfSequence,
            computed.Scores, Reason?.Trim(), changes, caller.User, ChinaTime.Today(now)));
    }

    /// <summary>Every town or unit whose score or grade differs from <paramref name="before"/> (new ones from 0).</summary>
    public static IReadOnlyList<ScoreChange> Changes(IReadOnlyList<PublishedScore> before, IReadOnlyList<PublishedScore> after)
    {
        var old = before.ToDictionary(s => (s.Scope, s.Code));
        return after.Where(s => !old.TryGetValue((s.Scope, s.Code), out var o) || o.Score != s.Score || o.Grade != s.Grade)
            .Select(s => old.TryGetValue((s.Scope, s.Code), out var o)
                ? new ScoreChange(s.Scope, s.Code, o.Score, s.Score, o.Grade, s.Grade)
                : new ScoreChange(s.Scope, s.Code, 0, s.Score, "", s.Grade))
            .ToList();
    }
}
