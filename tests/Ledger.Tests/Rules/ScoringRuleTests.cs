using Ledger.Domain.Assessment;
using Ledger.Domain.Identification;
using Ledger.Domain.Inspections;
using Ledger.Domain.Rectifications;
using Ledger.Projections.Accountability;
using Ledger.Projections.Assessment;

namespace Ledger.Tests.Rules;

/// <summary>The hand-worked example of docs/scoring.md, under the default rulebook.</summary>
public sealed class ScoringRuleTests
{
    private static readonly Rulebook Rules = Rulebook.Default(2017);
    private static readonly DateOnly Day = new(2017, 10, 10);

    private static Guid G(int n) => new($"00000000-0000-0000-0000-{n:D12}");

    /// <summary>
    /// A: area 4 serious, returned once, closed on time. B: area 1 minor, open past its deadline.
    /// C: area 7 check with idle funds (minor), closed late. D: a withdrawn grave finding (counts nothing).
    /// E: an exit review, wrongly exited, 3 people out of 3 (错退率 100%). Two commendations.
    /// </summary>
    public static AccountabilityView Example() => new()
    {
        Id = "town:440233100:2017",
        Inspections = { [G(80)] = Comprehensive(G(80)) },
        Commendations = [new(G(90), "产业帮扶", new(2017, 8, 1), G(91)), new(G(90), "资金管理规范", new(2017, 8, 1), G(92))],
    };

    public static IReadOnlyList<CaseRow> Cases() =>
    [
        new CaseRow { Id = G(1), Kind = CaseKind.Finding, Area = ContentArea.IdentificationAndExit, Severity = Severity.Serious,
            RecordedEventId = G(11), Stage = RectificationStage.Closed, Deadline = new(2017, 9, 30), ClosedOn = new(2017, 9, 10),
            Returns = 1, ReturnEventIds = [G(12)], AcceptedEventId = G(13), DeadlineEventIds = [G(14)] },
        new CaseRow { Id = G(2), Kind = CaseKind.Finding, Area = ContentArea.Responsibility, Severity = Severity.Minor,
            RecordedEventId = G(21), Stage = RectificationStage.AwaitingResponse, Deadline = new(2017, 9, 30), DeadlineEventIds = [G(24)] },
        new CaseRow { Id = G(3), Kind = CaseKind.FundingCheck, Area = ContentArea.FiscalFunds, Severity = Severity.Minor,
            Irregularities = [FundIrregularity.Idle], RecordedEventId = G(31), Stage = RectificationStage.Closed,
            Deadline = new(2017, 9, 30), ClosedOn = new(2017, 10, 5), Late = true, AcceptedEventId = G(33), DeadlineEventIds = [G(34)] },
        new CaseRow { Id = G(4), Kind = CaseKind.Finding, Area = ContentArea.FiscalFunds, Severity = Severity.Grave,
            Withdrawn = true, RecordedEventId = G(41) },
        new CaseRow { Id = G(5), Kind = CaseKind.IdentificationReview, Area = ContentArea.IdentificationAndExit,
            Severity = Severity.Serious, Verdict = ReviewVerdict.WronglyExited, DecisionKind = DecisionKind.Exit, People = 3,
            VillageCode = "440233100201", RecordedEventId = G(51) },
    ];

    /// <summary>A comprehensive inspection naming no areas (so examining all eight), in the field since 07-02.</summary>
    private static InspectionRow Comprehensive(Guid id) => new()
    {
        Id = id, Kind = InspectionKind.Comprehensive, PlannedStart = new(2017, 7, 1), PlannedEnd = new(2017, 7, 15), FieldworkStartedOn = new(2017, 7, 2),
    };

    [Fact]
    public void The_hand_worked_example_scores_91()
    {
        var card = Scorer.Score("town", "440233100", Example(), Cases(), Rules, Day);

        // identification 15 − 2 (A serious) − 0.5 (A returned) − 2 (E serious) − 3 (错退率) = 7.5
        // assistance 22 − 0.5 (B minor) − 1 (B overdue) = 20.5; funds 13 − 1 (C minor) − 0.5 (C late) = 11.5
        // results 50; bonus 2 commendations = +2 → 50 + 7.5 + 20.5 + 11.5 + 2 = 91.5 → 好
        Assert.Equal(91.5m, card.Score);
        Assert.Equal("好", card.Grade);
        Assert.Equal(card.Score, card.Lines.Sum(l => l.Points));
        Assert.Equal([50m, 7.5m, 20.5m, 11.5m], card.Groups.Select(g => g.Score).ToArray());
        Assert.Equal(2m, card.Bonus);

        var returned = Assert.Single(card.Lines, l => l.Rule == "rectification:returned");
        Assert.Equal([G(12)], returned.EventIds);
        var late = Assert.Single(card.Lines, l => l.Rule == "rectification:closed-late");
        Assert.Equal([G(33), G(34)], late.EventIds);
        Assert.Equal([G(51)], Assert.Single(card.Lines, l => l.Rule == "accuracy:wrong-exit").EventIds);
        Assert.DoesNotContain(card.Lines, l => l.EventIds.Contains(G(41)));
    }

    [Fact]
    public void A_group_never_loses_more_than_its_cap_and_the_cap_is_a_line()
    {
        var rules = Rules with { Groups = [.. Rules.Groups.Select(g => g.Code == "identification" ? g with { Cap = 4 } : g)] };
        var card = Scorer.Score("town", "t", Example(), Cases(), rules, Day);
        var identification = card.Groups.Single(g => g.Code == "identification");
        Assert.Equal((7.5m, 3.5m, 11m), (identification.Deducted, identification.Capped, identification.Score));
        Assert.Equal(3.5m, Assert.Single(card.Lines, l => l.Rule == "cap:identification").Points);
        Assert.Equal(card.Score, card.Lines.Sum(l => l.Points));
    }

    [Fact]
    public void The_bonus_stops_at_its_cap()
    {
        var card = Scorer.Score("town", "t", Example(), Cases(), Rules with { BonusCap = 1 }, Day);
        Assert.Equal(1m, card.Bonus);
        Assert.Equal(-1m, Assert.Single(card.Lines, l => l.Rule == "cap:bonus").Points);
    }

    [Fact]
    public void Ranks_share_places_on_equal_scores()
    {
        ScoreCard Card(string code, decimal? scaled) => new("town", code, scaled ?? 0, "", [], 0, [], scaled is null ? 0 : 100, scaled);
        var ranked = Scorer.Rank([Card("b", 90), Card("e", null), Card("a", 95), Card("c", 90), Card("d", 80)]);
        Assert.Equal([("a", 1), ("b", 2), ("c", 2), ("d", 4), ("e", 0)], ranked.Select(r => (r.Card.Code, r.Rank)).ToArray());
    }

    [Fact]
    public void Without_any_inspection_every_group_shows_no_data_and_nothing_is_full_marks()
    {
        var card = Scorer.Score("town", "440233105", new AccountabilityView { Id = "town:440233105:2017" }, [], Rules, Day);
        Assert.False(card.HasData);
        Assert.Equal(ScoreCard.NoData, card.Grade);
        Assert.Equal((0m, 0m, (decimal?)null), (card.Score, card.ScoredOn, card.Scaled));
        Assert.All(card.Groups, g => Assert.Equal(ScoreCard.NoData, g.Shown));
        Assert.Empty(card.Lines);
    }

    [Fact]
    public void An_inspection_still_planned_gives_no_data_until_its_field_work_starts()
    {
        var view = new AccountabilityView { Id = "town:t:2017", Inspections = { [G(80)] = Comprehensive(G(80)) } };
        Assert.False(Scorer.Score("town", "t", view, [], Rules, new DateOnly(2017, 7, 1)).HasData);
        Assert.Equal(100m, Scorer.Score("town", "t", view, [], Rules, new DateOnly(2017, 7, 2)).Scaled);
    }

    [Fact]
    public void A_special_inspection_scores_only_the_groups_of_its_areas_and_says_on_how_many_points()
    {
        var special = new InspectionRow
        {
            Id = G(81), Kind = InspectionKind.Special, Topic = "识别退出", ContentAreas = [ContentArea.IdentificationAndExit],
            PlannedStart = new(2017, 7, 1), PlannedEnd = new(2017, 7, 15), FieldworkStartedOn = new(2017, 7, 2),
        };
        var view = new AccountabilityView { Id = "town:t:2017", Inspections = { [G(81)] = special } };
        var problem = new CaseRow { Id = G(1), Kind = CaseKind.Finding, Area = ContentArea.IdentificationAndExit, Severity = Severity.Serious, RecordedEventId = G(11) };
        var card = Scorer.Score("town", "t", view, [problem], Rules, Day);
        // identification 15 − 2 = 13 on 15 points; scaled 13 × 100 ÷ 15 = 86.67 → 较好
        Assert.Equal((13m, 15m, 86.67m, "较好"), (card.Score, card.ScoredOn, card.Scaled, card.Grade));
        Assert.Equal("按 15/100 分计（其余指标组无数据）", card.Basis);
        Assert.Equal(["identification"], card.Groups.Where(g => g.HasData).Select(g => g.Code).ToArray());
        Assert.Equal(card.Score, card.Lines.Sum(l => l.Points));
    }

    [Fact]
    public void The_accuracy_thresholds_are_the_rulebooks_with_their_source_and_90_percent_approval_meets_90_percent_or_more()
    {
        var view = new AccountabilityView
        {
            Id = "town:t:2017", Inspections = { [G(80)] = Comprehensive(G(80)) }, Surveys = [new SurveyRow(null, 20, 18, G(70))],
        };
        Assert.DoesNotContain(Scorer.Score("town", "t", view, [], Rules, Day).Lines, l => l.Rule == "accuracy:public-approval");

        var stricter = Rules with
        {
            Thresholds = AccuracyRules.Defaults with { PublicApproval = new CountySetting("approvalMinimum", 0.95m, "某县2017年考核细则第5条") },
        };
        Assert.Empty(stricter.Problems());
        var line = Assert.Single(Scorer.Score("town", "t", view, [], stricter, Day).Lines, l => l.Rule == "accuracy:public-approval");
        Assert.Equal(-2m, line.Points);

        var unsourced = Rules with { Thresholds = AccuracyRules.Defaults with { Missed = new CountySetting("missedMaximum", 0.03m, " ") } };
        Assert.Contains(unsourced.Problems(), p => p.Contains("thresholds.missed.source"));
    }

    [Fact]
    public void Per_inspection_exposure_gives_the_same_score_to_the_same_problem_rate()
    {
        CaseRow Minor(int n) => new() { Id = G(n), Kind = CaseKind.Finding, Area = ContentArea.Responsibility, Severity = Severity.Minor, RecordedEventId = G(100 + n) };
        var once = new AccountabilityView { Id = "town:a:2017", Inspections = { [G(80)] = Comprehensive(G(80)) } };
        var twice = new AccountabilityView { Id = "town:b:2017", Inspections = { [G(80)] = Comprehensive(G(80)), [G(82)] = Comprehensive(G(82)) } };
        var a = Scorer.Score("town", "a", once, [Minor(1)], Rules, Day);
        var b = Scorer.Score("town", "b", twice, [Minor(2), Minor(3)], Rules, Day);
        Assert.Equal(99.5m, a.Score);
        Assert.Equal(a.Score, b.Score);
        Assert.All(b.Lines.Where(l => l.Rule.StartsWith("problem:")), l => Assert.Equal(-0.25m, l.Points));
        // Without exposure the town inspected twice loses twice as much.
        var plain = Rules with { Exposure = Exposures.None };
        Assert.Equal(99m, Scorer.Score("town", "b", twice, [Minor(2), Minor(3)], plain, Day).Score);
    }

    [Fact]
    public void The_default_rulebook_is_sound_and_bad_ones_say_why()
    {
        Assert.Empty(Rules.Problems());
        var bad = Rules with
        {
            Groups = [new("results", "减贫成效", 60, -1), .. Rules.Groups.Skip(1)],
            Grades = [new("好", 85, 103), new("较好", 80, 90), new("较差", 0, 80)],
        };
        var problems = bad.Problems();
        Assert.Contains(problems, p => p.Contains("sum to 110"));
        Assert.Contains(problems, p => p.Contains("cap must not be negative"));
        Assert.Contains(problems, p => p.Contains("overlap"));
        Assert.Equal("较好", Rules.GradeOf(89.99m));
        Assert.Equal("好", Rules.GradeOf(103m));
        Assert.Equal("较差", Rules.GradeOf(0m));
    }
}
