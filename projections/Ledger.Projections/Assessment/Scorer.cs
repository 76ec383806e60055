using Ledger.Domain.Assessment;
using Ledger.Domain.Common;
using Ledger.Domain.Identification;
using Ledger.Domain.Inspections;
using Ledger.Domain.Rectifications;
using Ledger.Projections.Accountability;

namespace Ledger.Projections.Assessment;

/// <summary>One indicator group of a score card; without data (<c>HasData</c> false) it shows 无数据 and scores nothing.</summary>
public sealed record GroupScore(string Code, string Name, decimal Weight, decimal Deducted, decimal Capped, decimal Score, bool HasData = true)
{
    /// <summary>What the group shows: its score, or 无数据.</summary>
    public string Shown => HasData ? Score.ToString("0.##") : ScoreCard.NoData;
}

/// <summary>
/// A town's or unit's score: the points of the groups that rest on data plus the bonus (the lines sum
/// to it), the weight those groups carry (<c>ScoredOn</c>, e.g. 40 of 100), the score brought to the
/// whole scale (<c>Scaled</c>: the groups' points × 100 ÷ <c>ScoredOn</c>, plus the bonus; null without
/// any data) and the grade of the scaled score (无数据 without data).
/// </summary>
public sealed record ScoreCard(string Scope, string Code, decimal Score, string Grade, IReadOnlyList<GroupScore> Groups, decimal Bonus,
    IReadOnlyList<ScoreLine> Lines, decimal ScoredOn = 0, decimal? Scaled = null)
{
    /// <summary>无数据: shown for a group, and as the grade, where nothing was inspected.</summary>
    public const string NoData = "无数据";

    [System.Text.Json.Serialization.JsonIgnore]
    public bool HasData => Scaled is not null;

    /// <summary>How much of the score rests on data, for people: "按 40/100 分计" or 无数据.</summary>
    public string Basis => !HasData ? NoData
        : $"按 {ScoredOn:0.##}/{Groups.Sum(g => g.Weight):0.##} 分计" + (Groups.All(g => g.HasData) ? "" : "（其余指标组无数据）");
}

/// <summary>A town's targets in force for the year (null: none recorded), the id of the event that set them, and its actual results.</summary>
public sealed record ResultsEvidence(PovertyTargetsRecorded? Targets, Guid? TargetsEventId, ActualResults Actual);

/// <summary>
/// The scoring: a pure function of an accountability view and its case rows (the events of the year
/// up to the as-of point), the rulebook and the as-of day. A group rests on data when an inspection
/// in the field by then examined one of its content areas, or a record counts against it (for the
/// accuracy group also a review or an approval survey); the others show 无数据, carry no weight line
/// and give no points. The lines sum exactly to the score: each weight of a group with data is a
/// line, every deduction and addition is a line naming its rule and its events, and a cap that stops
/// deductions (or bonus) is a line too.
/// </summary>
public static class Scorer
{
    public static ScoreCard Score(string scope, string code, AccountabilityView view, IReadOnlyCollection<CaseRow> cases, Rulebook rulebook,
        DateOnly asOfDay, ResultsEvidence? results = null)
    {
        var live = cases.Where(c => !c.Withdrawn).OrderBy(c => c.Id).ToList();
        var inField = view.Inspections.Values.Where(i => i.FieldworkStartedOn is { } started && started <= asOfDay).ToList();
        var withData = rulebook.GroupsOf(inField.SelectMany(i => i.Examines()).Concat(live.Select(c => c.Area))).ToHashSet();
        if (live.Any(c => c.Kind == CaseKind.IdentificationReview) || view.Surveys.Count > 0) withData.Add(rulebook.AccuracyGroup);
        var resultsGroup = rulebook.RuleFor(ContentArea.PovertyReduction).Group;
        var againstTargets = rulebook.ResultsRule == ResultsRules.AgainstTargets;
        if (againstTargets)
        {
            // 实绩对目标: the results group rests on the town's targets, not on inspections of area 3.
            withData.Remove(resultsGroup);
            if (results?.Targets is not null) withData.Add(resultsGroup);
        }

        var lines = new List<ScoreLine>();
        foreach (var g in rulebook.Groups.Where(g => withData.Contains(g.Code)))
            lines.Add(new ScoreLine("weight", g.Code, g.Weight, $"{g.Name}基础分 (the group's weight)", []));

        foreach (var c in live.Where(c => c.IsProblem))
        {
            var rule = rulebook.RuleFor(c.Area);
            if (!withData.Contains(rule.Group)) continue;
            var severity = c.Severity ?? Severity.Minor;
            var points = rule.PointsFor(severity);
            var description = $"{Codes.LabelOf(c.Area)}问题（{Codes.LabelOf(severity)}） case {c.Id}";
            if (rulebook.ExposureRule == Exposures.PerInspection)
            {
                var exposure = Math.Max(1, inField.Count(i => i.Examines().Contains(c.Area)));
                if (exposure > 1)
                {
                    description += $"，按 {exposure} 次督查折算（{points:0.##} ÷ {exposure}）";
                    points = Math.Round(points / exposure, 2, MidpointRounding.AwayFromZero);
                }
            }
            lines.Add(new ScoreLine($"problem:{(int)c.Area}:{Codes.CodeOf(severity)}", rule.Group, -points,
                description, [c.RecordedEventId, .. c.AmendmentEventIds]));
        }
        foreach (var c in live.Where(c => c.Stage is not null))
        {
            var group = rulebook.RuleFor(c.Area).Group;
            if (!withData.Contains(group)) continue;
            if (Deadlines.IsOverdue(c.Stage, c.Deadline, asOfDay))
                lines.Add(new ScoreLine("rectification:overdue", group, -rulebook.Overdue,
                    $"整改逾期（期限 {c.Deadline:yyyy-MM-dd}） case {c.Id}", c.DeadlineEventIds));
            if (c.Stage == RectificationStage.Closed && c.Late)
                lines.Add(new ScoreLine("rectification:closed-late", group, -rulebook.ClosedLate,
                    $"整改逾期销号（{c.ClosedOn:yyyy-MM-dd} > {c.Deadline:yyyy-MM-dd}） case {c.Id}", [c.AcceptedEventId!.Value, .. c.DeadlineEventIds]));
            foreach (var returned in c.ReturnEventIds)
                lines.Add(new ScoreLine("rectification:returned", group, -rulebook.Returned, $"整改被退回 case {c.Id}", [returned]));
        }

        if (againstTargets && results?.Targets is { } targets && withData.Contains(resultsGroup))
            AgainstTargets(lines, rulebook.Groups.Single(g => g.Code == resultsGroup), targets, results.TargetsEventId, results.Actual);

        var reviews = live.Where(c => c.Kind == CaseKind.IdentificationReview).ToList();
        var accuracy = AccuracyOf(view, cases, rulebook);
        void Accuracy(string name, string label, Rate rate, decimal points, IEnumerable<Guid> sample)
        {
            if (rate.Met == false)
                lines.Add(new ScoreLine($"accuracy:{name}", rulebook.AccuracyGroup, -points,
                    $"{label} {rate.Value:P2} 未达标（阈值 {rate.Threshold:P0}）", sample.ToList()));
        }
        IEnumerable<Guid> Reviews(DecisionKind? kind) => reviews.Where(r => r.DecisionKind == kind).Select(r => r.RecordedEventId);
        Accuracy("wrong-exit", "错退率", accuracy.WrongExit, rulebook.Accuracy.WrongExit, Reviews(DecisionKind.Exit));
        Accuracy("missed", "漏评率", accuracy.Missed, rulebook.Accuracy.Missed, Reviews(null));
        Accuracy("wrong-enrolment", "错评率", accuracy.WrongEnrolment, rulebook.Accuracy.WrongEnrolment, Reviews(DecisionKind.Entry));
        Accuracy("public-approval", "群众认可度", accuracy.PublicApproval, rulebook.Accuracy.PublicApproval, view.Surveys.Select(s => s.EventId));

        var groups = new List<GroupScore>();
        foreach (var g in rulebook.Groups)
        {
            var deducted = -lines.Where(l => l.Group == g.Code && l.Points < 0).Sum(l => l.Points);
            var capped = Math.Max(0, deducted - g.Cap);
            if (capped > 0) lines.Add(new ScoreLine($"cap:{g.Code}", g.Code, capped, $"{g.Name}扣分以 {g.Cap} 分为限 (the group's cap)", []));
            groups.Add(withData.Contains(g.Code)
                ? new GroupScore(g.Code, g.Name, g.Weight, deducted, capped, g.Weight - deducted + capped)
                : new GroupScore(g.Code, g.Name, g.Weight, 0, 0, 0, HasData: false));
        }

        foreach (var commendation in view.Commendations.OrderBy(c => c.NotifiedOn).ThenBy(c => c.EventId))
            lines.Add(new ScoreLine("commendation", "bonus", rulebook.Commendation, $"通报表扬：{commendation.Reason}", [commendation.EventId]));
        var bonus = lines.Where(l => l.Group == "bonus").Sum(l => l.Points);
        if (bonus > rulebook.BonusCap)
        {
            lines.Add(new ScoreLine("cap:bonus", "bonus", rulebook.BonusCap - bonus, $"加分以 {rulebook.BonusCap} 分为限 (the bonus cap)", []));
            bonus = rulebook.BonusCap;
        }

        var score = lines.Sum(l => l.Points);
        var scoredOn = groups.Where(g => g.HasData).Sum(g => g.Weight);
        if (scoredOn == 0) return new ScoreCard(scope, code, score, ScoreCard.NoData, groups, bonus, lines, 0, null);
        var full = rulebook.Groups.Sum(g => g.Weight);
        var scaled = scoredOn == full ? score : Math.Round((score - bonus) * full / scoredOn, 2, MidpointRounding.AwayFromZero) + bonus;
        return new ScoreCard(scope, code, score, rulebook.GradeOf(scaled), groups, bonus, lines, scoredOn, scaled);
    }

    /// <summary>
    /// 实绩对目标: each annual target above zero carries an equal share of the group's weight; the line of a
    /// measure loses share × (1 − min(1, actual ÷ target)), to 0.01, and names the targets' event and the
    /// events the actual rests on (an income growth without data achieves nothing).
    /// </summary>
    private static void AgainstTargets(List<ScoreLine> lines, IndicatorGroup group, PovertyTargetsRecorded targets, Guid? targetsEventId, ActualResults actual)
    {
        var source = targetsEventId is { } id ? new[] { id } : [];
        var measures = new List<(string Code, string Label, decimal Target, decimal? Actual, IReadOnlyList<Guid> Events)>
        {
            ("households", "脱贫户数", targets.Annual.Households, actual.Households, actual.HouseholdExitEventIds),
            ("people", "脱贫人数", targets.Annual.People, actual.People, actual.HouseholdExitEventIds),
            ("villages", "退出村数", targets.Annual.Villages, actual.Villages, actual.VillageExitEventIds),
            ("income-growth", "人均收入增长(%)", targets.Annual.IncomeGrowthPercent, actual.IncomeGrowthPercent, actual.IncomeEventIds),
        }.Where(m => m.Target > 0).ToList();
        if (measures.Count == 0) return;
        var share = group.Weight / measures.Count;
        foreach (var m in measures)
        {
            var achieved = Math.Min(1, Math.Max(0, (m.Actual ?? 0) / m.Target));
            var lost = Math.Round(share * (1 - achieved), 2, MidpointRounding.AwayFromZero);
            lines.Add(new ScoreLine($"results:{m.Code}", group.Code, -lost,
                $"{m.Label} 实绩 {(m.Actual is { } a ? a.ToString("0.##") : ScoreCard.NoData)} / 目标 {m.Target:0.##}（完成 {achieved:P0}，{targets.DocumentNumber}）",
                [.. source, .. m.Events]));
        }
    }

    /// <summary>
    /// 三率一度 of a view as the scoring judges it: the live reviews and the approval surveys, against
    /// the thresholds of <paramref name="rulebook"/> (its own, else the defaults).
    /// </summary>
    public static AccuracyFigures AccuracyOf(AccountabilityView view, IReadOnlyCollection<CaseRow> cases, Rulebook rulebook) =>
        AccuracyRules.Compute(
            cases.Where(c => !c.Withdrawn && c.Kind == CaseKind.IdentificationReview)
                .Select(r => new AccuracyRules.Review(r.DecisionKind, r.Verdict!.Value, r.People, r.VillageCode ?? "", r.UnregisteredPeopleInVillage)).ToList(),
            view.Surveys.Select(s => new AccuracyRules.Survey(s.Respondents, s.Approving)).ToList(), rulebook.ThresholdsInForce);

    /// <summary>
    /// Competition ranking (1, 2, 2, 4) by the scaled score, highest first, among those with data; ties
    /// share a place and keep code order. Those without data are not ranked (rank 0) and come last, in
    /// code order.
    /// </summary>
    public static IReadOnlyList<(ScoreCard Card, int Rank)> Rank(IEnumerable<ScoreCard> cards)
    {
        var all = cards.ToList();
        var ordered = all.Where(c => c.HasData).OrderByDescending(c => c.Scaled).ThenBy(c => c.Code, StringComparer.Ordinal).ToList();
        return ordered.Select(c => (c, 1 + ordered.Count(o => o.Scaled > c.Scaled)))
            .Concat(all.Where(c => !c.HasData).OrderBy(c => c.Code, StringComparer.Ordinal).Select(c => (c, 0)))
            .ToList();
    }
}
