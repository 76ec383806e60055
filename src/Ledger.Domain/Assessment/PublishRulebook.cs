using Ledger.Domain.Access;
using Ledger.Domain.Common;

namespace Ledger.Domain.Assessment;

/// <summary>The versions of a year's rulebook published so far (the stream's write model, aggregated live).</summary>
public sealed record PublishedRulebooks(Guid Id, int Year, int Versions)
{
    public static PublishedRulebooks Create(RulebookPublished e) => new(e.RulebookStreamId, e.Year, e.Version);

    public PublishedRulebooks Apply(RulebookPublished e) => this with { Versions = e.Version };
}

/// <summary>发布考核细则: a new version of the year's rulebook; a bad one is refused with every reason.</summary>
public static class PublishRulebook
{
    /// <summary>A year's rulebook stream follows from its county and year.</summary>
    public static Guid StreamOf(string county, int year) => StableId.For("rulebook", county, year.ToString());

    /// <summary>Publishes <paramref name="rulebook"/> on the stream <paramref name="id"/> as the version after <paramref name="current"/> (null: none yet).</summary>
    public static Decision Decide(Guid id, Rulebook rulebook, PublishedRulebooks? current, Caller caller, DateOnly today)
    {
        if (rulebook.Groups is null || rulebook.Areas is null || rulebook.Grades is null || rulebook.Accuracy is null)
            return new Refusal(RefusalKind.Invalid, "a rulebook has groups, areas, accuracy and grades");
        var problems = rulebook.Problems();
        if (problems.Count > 0) return Refusal.Invalid(problems);
        return Decision.Accept(new RulebookPublished(id, rulebook.Year, (current?.Versions ?? 0) + 1, rulebook, caller.User, today));
    }
}
