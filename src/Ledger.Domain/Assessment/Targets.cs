using Ledger.Domain.Common;
using Ledger.Domain.Identification;

namespace Ledger.Domain.Assessment;

/// <summary>
/// One set of poverty-reduction figures (减贫目标 or 减贫实绩): households and people lifted out of
/// poverty (脱贫户数、人数), villages exited (退出村数) and the growth of per-capita income (人均收入增长, %).
/// </summary>
public sealed record TargetFigures(int Households, int People, int Villages, decimal IncomeGrowthPercent);

/// <summary>
/// 记录减贫目标任务: a town's poverty-reduction targets for a year, as the poverty office recorded them from
/// their source document (文件名, 文号) — the annual target (年度目标) and, where set, the three-year target
/// (三年目标) of the three years from <c>ThreeYearFrom</c>. A correction is a later event on the same
/// stream with a higher <c>Revision</c> and its <c>Reason</c>. Stream: one per county, town and year.
/// </summary>
[Label("记录减贫目标任务")]
public sealed record PovertyTargetsRecorded(
    Guid TargetsStreamId, string TownCode, int Year, int Revision, TargetFigures Annual, TargetFigures? ThreeYear, int? ThreeYearFrom,
    string DocumentName, string DocumentNumber, string? Reason, string RecordedBy, DateOnly RecordedOn);

/// <summary>The targets of a town and year as they stand (the stream's write model, aggregated live), with every revision.</summary>
public sealed record TownTargets(Guid Id, string TownCode, int Year, IReadOnlyList<PovertyTargetsRecorded> Revisions)
{
    /// <summary>The revision in force: the latest.</summary>
    public PovertyTargetsRecorded Current => Revisions[^1];

    public static TownTargets Create(PovertyTargetsRecorded e) => new(e.TargetsStreamId, e.TownCode, e.Year, [e]);

    public TownTargets Apply(PovertyTargetsRecorded e) => this with { Revisions = [.. Revisions, e] };
}

/// <summary>
/// 记录减贫目标任务: records (or corrects) a town's targets for a year with their source document. A
/// correction names the revision it corrects (<c>ExpectedRevision</c>, else 409) and says why
/// (<c>Reason</c>, else 400); a first record needs neither.
/// </summary>
public sealed record RecordPovertyTargets(
    string? Town, int Year, TargetFigures? Annual, TargetFigures? ThreeYear, int? ThreeYearFrom,
    string? DocumentName, string? DocumentNumber, string? Reason, int? ExpectedRevision)
{
    /// <summary>A town's targets stream follows from its county, town and year.</summary>
    public static Guid StreamOf(string county, string town, int year) => StableId.For("poverty-targets", county, $"{town}:{year}");

    /// <summary>Decides on <paramref name="id"/> given the targets recorded so far (null: none).</summary>
    public Decision Decide(Guid id, TownTargets? current, string user, DateOnly today)
    {
        var checks = new Checks()
            .Text(Town, "town")
            .That(Year is >= 2000 and <= 2100, "year must be between 2000 and 2100")
            .That(Annual is not null, "annual (the year's targets) is required")
            .Text(DocumentName, "documentName (文件名 of the source document)")
            .Text(DocumentNumber, "documentNumber (文号 of the source document)")
            .That(ThreeYear is null == ThreeYearFrom is null, "threeYear and threeYearFrom come together")
            .That(ThreeYearFrom is null || (ThreeYearFrom <= Year && ThreeYearFrom >= Year - 2),
                "threeYearFrom must be the first of three years that include the year");
        Figures(checks, Annual, "annual");
        Figures(checks, ThreeYear, "threeYear");
        if (current is not null)
            checks.Text(Reason, "reason (why the targets are corrected)", Checks.LongText);
        else
            checks.Text(Reason, "reason", Checks.LongText, required: false);
        if (checks.ToRefusal() is { } invalid) return invalid;
        var revision = current?.Revisions.Count ?? 0;
        if (current is not null && ExpectedRevision != revision)
            return Refusal.Conflict($"the targets of town {Town} for {Year} are at revision {revision}: a correction names it as expectedRevision");
        return Decision.Accept(new PovertyTargetsRecorded(id, Town!.Trim(), Year, revision + 1, Annual!, ThreeYear, ThreeYearFrom,
            DocumentName!.Trim(), DocumentNumber!.Trim(), string.IsNullOrWhiteSpace(Reason) ? null : Reason.Trim(), user, today));
    }

    private static void Figures(Checks checks, TargetFigures? figures, string field)
    {
        if (figures is null) return;
        checks.That(figures.Households >= 0 && figures.People >= 0 && figures.Villages >= 0, $"{field}: counts cannot be negative")
            .That(figures.People >= figures.Households, $"{field}: people cannot be fewer than households")
            .That(figures.IncomeGrowthPercent is >= -100 and <= 1000, $"{field}: incomeGrowthPercent must be between -100 and 1000");
    }
}

/// <summary>
/// A town's actual results (减贫实绩) for a year, computed from the ledger's own events, each figure with the
/// ids of the events it rests on: households and people exited (household exit decisions of the year whose
/// procedure is complete: the final step recorded), villages exited (likewise for village exits), and the
/// growth of per-capita income from the households assessed in both the year before and the year (null
/// where none was): people-weighted mean income of the year ÷ that of the year before − 1, in %, to 0.1.
/// </summary>
public sealed record ActualResults(
    int Households, int People, int Villages, decimal? IncomeGrowthPercent, int HouseholdsCompared,
    IReadOnlyList<Guid> HouseholdExitEventIds, IReadOnlyList<Guid> VillageExitEventIds, IReadOnlyList<Guid> IncomeEventIds)
{
    /// <summary>
    /// Computes the results of <paramref name="town"/> in <paramref name="year"/> from events in sequence order
    /// (id and data): <see cref="DecisionOpened"/>, <see cref="DecisionStepRecorded"/> and <see cref="HouseholdAssessed"/>; others are ignored.
    /// </summary>
    public static ActualResults Compute(string town, int year, IEnumerable<(Guid Id, object Data)> events)
    {
        var opened = new Dictionary<Guid, DecisionOpened>();
        var completed = new Dictionary<Guid, Guid>();
        var assessed = new Dictionary<(Guid Household, int Year), (HouseholdAssessed Event, Guid Id)>();
        foreach (var (id, data) in events)
        {
            switch (data)
            {
                case DecisionOpened o when o.TownCode == town && o.Year == year && o.Kind == DecisionKind.Exit:
                    opened[o.DecisionId] = o;
                    break;
                case DecisionStepRecorded s when s.TownCode == town && s.Year == year && s.Kind == DecisionKind.Exit
                                                 && s.Step == Procedures.Final(s.Subject, s.Kind):
                    completed.TryAdd(s.DecisionId, id);
                    break;
                case HouseholdAssessed a when a.TownCode == town && (a.Year == year || a.Year == year - 1):
                    assessed[(a.HouseholdId, a.Year)] = (a, id);
                    break;
            }
        }
        var exits = completed.Where(c => opened.ContainsKey(c.Key)).Select(c => (Opened: opened[c.Key], EventId: c.Value)).ToList();
        var households = exits.Where(e => e.Opened.Subject == DecisionSubject.Household).ToList();
        var villages = exits.Where(e => e.Opened.Subject == DecisionSubject.Village).ToList();

        var pairs = assessed.Where(a => a.Key.Year == year && assessed.ContainsKey((a.Key.Household, year - 1)))
            .Select(a => (Now: a.Value, Before: assessed[(a.Key.Household, year - 1)])).ToList();
        decimal? growth = null;
        var before = pairs.Sum(p => (decimal)p.Before.Event.Size);
        var now = pairs.Sum(p => (decimal)p.Now.Event.Size);
        if (pairs.Count > 0 && before > 0 && now > 0)
        {
            var meanBefore = pairs.Sum(p => p.Before.Event.PerCapitaIncome * p.Before.Event.Size) / before;
            var meanNow = pairs.Sum(p => p.Now.Event.PerCapitaIncome * p.Now.Event.Size) / now;
            if (meanBefore > 0) growth = Math.Round((meanNow / meanBefore - 1) * 100, 1, MidpointRounding.AwayFromZero);
        }
        return new ActualResults(households.Count, households.Sum(h => h.Opened.People), villages.Count, growth, pairs.Count,
            households.Select(h => h.EventId).ToList(), villages.Select(v => v.EventId).ToList(),
            pairs.SelectMany(p => new[] { p.Before.Id, p.Now.Id }).ToList());
    }
}
