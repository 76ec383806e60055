using Ledger.Api.Accountability;
using Ledger.Domain.Assessment;
using Ledger.Projections.Accountability;
using Ledger.Projections.Assessment;
using Ledger.Projections.Registry;
using Marten;

namespace Ledger.Api.Assessment;

/// <summary>
/// The assessment of a year as computed now: every town's and unit's score card, ranked, and what it
/// rests on; and each town's 三率一度 as the scoring judged them (by town code, against the rulebook's thresholds).
/// </summary>
public sealed record ComputedAssessment(
    int Year, int? RulebookVersion, Rulebook Rulebook, DateTimeOffset AsOf, long AsOfSequence,
    IReadOnlyList<(ScoreCard Card, int Rank)> Towns, IReadOnlyList<(ScoreCard Card, int Rank)> Units,
    IReadOnlyDictionary<string, Domain.Identification.AccuracyFigures> TownAccuracy);

/// <summary>Computes assessments: the events up to the as-of point, folded into views, scored by the rulebook in force.</summary>
public static class Assessments
{
    /// <summary>
    /// Scores every town (and every unit, where the rulebook scores units) for the year: the events up to <paramref name="asOf"/> (or, to
    /// recompute a published result, up to <paramref name="upToSequence"/>; with neither, all of them),
    /// the day for deadlines being the as-of day or today, under the rulebook version given or in force.
    /// Now is read from the live views plus the daemon's lag; a past point from the newest checkpoint
    /// before it that verifies under <paramref name="checkpointKey"/> (none given: from the first event).
    /// </summary>
    public static async Task<ComputedAssessment> ComputeAsync(IQuerySession session, int year, DateTimeOffset? asOf, long? upToSequence,
        DateTimeOffset now, int? rulebookVersion, CancellationToken ct, Audit.MacKey? checkpointKey = null)
    {
        var (rulebook, version, all) = await GetRulebook.InForceAsync(session, year, ct);
        if (rulebookVersion is > 0 && all.FirstOrDefault(r => r.Version == rulebookVersion) is { } chosen)
            (rulebook, version) = (chosen.Rulebook, chosen.Version);
        var towns = await session.Query<TownView>().OrderBy(t => t.Code).ToListAsync(ct);
        var units = await session.Query<UnitView>().OrderBy(u => u.Code).ToListAsync(ct);
        var keys = towns.Select(t => AccountabilityView.KeyOf("town", t.Code, year))
            .Concat(units.Select(u => AccountabilityView.KeyOf("unit", u.Code, year))).ToHashSet();
        var folded = await AccountabilityHistory.FoldAsync(session, keys, asOf, upToSequence, ct, checkpointKey);
        var day = Domain.Common.ChinaTime.Today(asOf ?? now);
        var evidence = new Dictionary<string, ResultsEvidence>();
        if (rulebook.ResultsRule == ResultsRules.AgainstTargets)
        {
            // 实绩对目标: each town's targets in force and its actual results (read as they stand now, not as of asOf).
            var actuals = await GetPovertyTargets.ActualsAsync(session, towns.Select(t => t.Code).ToList(), year, ct);
            foreach (var town in towns)
            {
                var stream = await session.Events.FetchStreamAsync(RecordPovertyTargets.StreamOf(session.TenantId, town.Code, year), token: ct);
                var last = stream.Count > 0 ? stream[^1] : null;
                evidence[town.Code] = new ResultsEvidence(last?.Data as PovertyTargetsRecorded, last?.Id, actuals[town.Code]);
            }
        }
        ScoreCard Card(string scope, string code)
        {
            var key = AccountabilityView.KeyOf(scope, code, year);
            return Scorer.Score(scope, code, folded.Views[key], folded.CasesFor(key), rulebook, day,
                scope == "town" ? evidence.GetValueOrDefault(code) : null);
        }
        var townCards = towns.Select(t => Card("town", t.Code));
        var unitCards = rulebook.ScoresUnits ? units.Select(u => Card("unit", u.Code)) : [];
        var accuracy = towns.ToDictionary(t => t.Code, t =>
        {
            var key = AccountabilityView.KeyOf("town", t.Code, year);
            return Scorer.AccuracyOf(folded.Views[key], folded.CasesFor(key), rulebook);
        });
        return new ComputedAssessment(year, version, rulebook, asOf ?? now, folded.LastSequence, Scorer.Rank(townCards), Scorer.Rank(unitCards),
            accuracy);
    }
}
