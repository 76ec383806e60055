using Ledger.Domain.Assessment;
using Ledger.Domain.Common;
using Ledger.Domain.Identification;
using Ledger.Domain.Inspections;
using Ledger.Domain.Rectifications;
using Ledger.Projections.Accountability;

namespace Ledger.Projections.Assessment;

public sealed record GroupScore(string Code, string Name, decimal Weight, decimal Deducted, decimal Capped, decimal Score);

/// <summary>A town's or unit's score: total, grade, per group, the bonus, and every line that made it.</summary>
public sealed record ScoreCard(string Scope, string Code, decimal Score, string Grade, IReadOnlyList<GroupScore> Groups, decimal Bonus,
    IReadOnlyList<ScoreLine> Lines);

/// <summary>
/// The scoring: a pure function of an accountability view and its case rows (the events of the year
/// up to the as-of point), the rulebook and the as-of day. The lines sum exactly to the score: each
/// group's weight is a line, every deduction and addition is a line naming its rule and its events,
/// and a cap that stops deductions (or bonus) is a line too.
/// </summary>
public static class Scorer
{
    public static ScoreCard Score(string scope, string code, AccountabilityView view, IReadOnlyCollection<CaseRow> cases, Rulebook rulebook,
        DateOnly asOfDay)
    {
        var lines = new List<ScoreLine>();
        foreach (var g in rulebook.Groups)
            lines.Add(new ScoreLine("weight", g.Code, g.Weight, $"{g.Name}基础分 (the group's weight)", []));

        var live = cases.Where(c => !c.Withdrawn).OrderBy(c => c.Id).ToList();
        foreach (var c in live.Where(c => c.IsProblem))
        {
            var rule = rulebook.RuleFor(c.Area);
            var severity = c.Severity ?? Severity.Minor;
            lines.Add(new ScoreLine($"problem:{(int)c.Area}:{Codes.CodeOf(severity)}", rule.Group, -rule.PointsFor(severity),
                $"{Codes.LabelOf(c.Area)}问题（{Codes.LabelOf(severity)}） case {c.Id}", [c.RecordedEventId, .. c.AmendmentEventIds]));
        }
        foreach (var c in live.Where(c => c.Stage is not null))
        {
            var group = rulebook.RuleFor(c.Area).Group;
            if (Deadlines.IsOverdue(c.Stage, c.Deadline, asOfDay))
                lines.Add(new ScoreLine("rectification:overdue", group, -rulebook.Overdue,
                    $"整改逾期（期限 {c.Deadline:yyyy-MM-dd}） case {c.Id}", c.DeadlineEventIds));
            if (c.Stage == RectificationStage.Closed && c.Late)
                lines.Add(new ScoreLine("rectification:closed-late", group, -rulebook.ClosedLate,
                    $"整改逾期销号（{c.ClosedOn:yyyy-MM-dd} > {c.Deadline:yyyy-MM-dd}） case {c.Id}", [c.AcceptedEventId!.Value, .. c.DeadlineEventIds]));
            foreach (var returned in c.ReturnEventIds)
                lines.Add(new ScoreLine("rectification:returned", group, -rulebook.Returned, $"整改被退回 case {c.Id}", [returned]));
        }

        var reviews = live.Where(c => c.Kind == CaseKind.IdentificationReview).ToList();
        var accuracy = AccuracyRules.Compute(
            reviews.Select(r => new AccuracyRules.Review(r.DecisionKind, r.Verdict!.Value, r.People, r.VillageCode ?? "", r.UnregisteredPeopleInVillage)).ToList(),
            view.Surveys.Select(s => new AccuracyRules.Survey(s.Respondents, s.Approving)).ToList());
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
            groups.Add(new GroupScore(g.Code, g.Name, g.Weight, deducted, capped, g.Weight - deducted + capped));
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
        return new ScoreCard(scope, code, score, rulebook.GradeOf(score), groups, bonus, lines);
    }

    /// <summary>Competition ranking (1, 2, 2, 4) by score, highest first; ties keep code order.</summary>
    public static IReadOnlyList<(ScoreCard Card, int Rank)> Rank(IEnumerable<ScoreCard> cards)
    {
        var ordered = cards.OrderByDescending(c => c.Score).ThenBy(c => c.Code, StringComparer.Ordinal).ToList();
        return ordered.Select(c => (c, 1 + ordered.Count(o => o.Score > c.Score))).ToList();
    }
}
