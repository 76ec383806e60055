using Ledger.Api.Assessment;
using Ledger.Domain.Access;
using Ledger.Domain.Assessment;
using Ledger.Domain.Common;
using Ledger.Tests.Fixtures;
using static Ledger.Tests.Fixtures.Scenarios;

namespace Ledger.Tests.Assessment;

public sealed class TargetsTests(LedgerFixture fixture) : IntegrationTest(fixture)
{
    private const string Town = "440233100";

    private static Dictionary<string, object?> Body(string town = Town, int households = 2, string? documentNumber = "丰扶组〔2017〕3号",
        string? reason = null, int? expectedRevision = null) => new()
    {
        ["town"] = town, ["year"] = 2017,
        ["annual"] = new { households, people = 7, villages = 1, incomeGrowthPercent = 10m },
        ["threeYear"] = new { households = 6, people = 20, villages = 2, incomeGrowthPercent = 30m }, ["threeYearFrom"] = 2016,
        ["documentName"] = "关于下达2017年度脱贫攻坚目标任务的通知", ["documentNumber"] = documentNumber,
        ["reason"] = reason, ["expectedRevision"] = expectedRevision,
    };

    [Fact]
    public async Task Targets_are_recorded_with_their_source_and_a_correction_is_a_new_event_with_its_reason()
    {
        await Given.SampleRegistry();
        await Expect(await Given.PostJson("/api/targets", Body(), Given.PovertyOffice), 201);
        var first = await Given.Get<TownTargetsAnswer>($"/api/targets/2017/towns/{Town}");
        Assert.Equal((1, 2, 7, 1, 10m, "丰扶组〔2017〕3号"), (first.Targets!.Revision, first.Targets.Annual.Households, first.Targets.Annual.People,
            first.Targets.Annual.Villages, first.Targets.Annual.IncomeGrowthPercent, first.Targets.DocumentNumber));
        Assert.Equal((6, 2016), (first.Targets.ThreeYear!.Households, first.Targets.ThreeYearFrom));

        // Refusals append nothing.
        var before = await Fixture.EventCountAsync();
        async Task Refused(object body, int status, string text, string? token = null)
        {
            var problem = await Expect(await Given.PostJson("/api/targets", body, token ?? Given.PovertyOffice), status);
            Assert.Contains(text, problem.ToString());
            Assert.Equal(before, await Fixture.EventCountAsync());
        }
        await Refused(Body(documentNumber: null), 400, "documentNumber");
        await Refused(Body(households: -1), 400, "cannot be negative");
        await Refused(Body(town: "440233999"), 404, "440233999");
        await Refused(Body(households: 3), 400, "reason");                                   // a correction says why
        await Refused(Body(households: 3, reason: "县里调整任务", expectedRevision: 5), 409, "revision 1");
        var forbidden = await Given.PostJson("/api/targets", Body(households: 3, reason: "r", expectedRevision: 1),
            Fixture.Token(Roles.Respondent, scope: $"town:{Town}"));
        Assert.Equal(403, forbidden.StatusCode);
        Assert.Equal(before, await Fixture.EventCountAsync());

        await Expect(await Given.PostJson("/api/targets", Body(households: 3, reason: "县里调整任务", expectedRevision: 1), Given.PovertyOffice), 201);
        var corrected = await Given.Get<TownTargetsAnswer>($"/api/targets/2017/towns/{Town}");
        Assert.Equal((2, 3, "县里调整任务"), (corrected.Targets!.Revision, corrected.Targets.Annual.Households, corrected.Targets.Reason));
        Assert.Equal([1, 2], corrected.Revisions.Select(r => r.Revision).ToArray());
        Assert.Equal(2, corrected.Revisions[0].Annual.Households);   // the first record is kept as it was

        // A town reads its own targets; another town's answer 404; the offices read every town's.
        Assert.Equal(3, (await Given.GetWithToken<TownTargetsAnswer>($"/api/targets/2017/towns/{Town}",
            Fixture.Token(Roles.Respondent, scope: $"town:{Town}"))).Targets!.Annual.Households);
        Assert.Equal(404, (await Given.Get($"/api/targets/2017/towns/{Town}", Fixture.Token(Roles.Respondent, scope: "town:440233101"))).StatusCode);
        var list = await Given.Get<TargetsList>("/api/targets/2017/towns");
        Assert.Equal(7, list.Towns.Count);
        Assert.Equal(3, list.Towns.Single(t => t.Town == Town).Targets!.Annual.Households);
        Assert.All(list.Towns.Where(t => t.Town != Town), t => Assert.Null(t.Targets));
    }

    [Fact]
    public async Task Actual_results_are_computed_from_exit_decisions_and_household_assessments()
    {
        await Given.SampleRegistry();
        // H-1: 4 people, 4000 in 2016, 8000 in 2017, exits in 2017. H-2: 2 people, 2000 in 2016, 3000 in 2017, stays.
        await Given.EnrolledHousehold("H-1", size: 4, exitIncome: 8000m);
        await Expect(await Given.PostJson("/api/households/H-1/assessments", new
        {
            expectedVersion = 3, year = 2016, perCapitaIncome = 4000m, guarantees = new { schooling = true, medical = true, housing = true },
        }, Given.PovertyOffice), 200);
        await Given.Household("H-2", size: 2, income: 3000m);
        await Expect(await Given.PostJson("/api/households/H-2/assessments", new
        {
            expectedVersion = 2, year = 2016, perCapitaIncome = 2000m, guarantees = new { schooling = true, medical = true, housing = true },
        }, Given.PovertyOffice), 200);
        var exit = await Given.OpenDecision(new { subject = "household", kind = "exit", year = 2017, household = "H-1" });
        await Given.Steps(exit, CleanExitSteps);
        // An exit still under way counts nothing.
        var unfinished = await Given.OpenDecision(new { subject = "village", kind = "exit", year = 2017, village = "440233100201", perCapitaIncome = 9500m, registeredResidents = 1200, poorPeople = 30 });
        await Given.Steps(unfinished, ("verification", "2017-11-01", null));

        var answer = await Given.Get<TownTargetsAnswer>($"/api/targets/2017/towns/{Town}");
        var actual = answer.Actual;
        Assert.Null(answer.Targets);
        // (8000×4 + 3000×2) ÷ 6 against (4000×4 + 2000×2) ÷ 6: 38000 ÷ 20000 − 1 = 90.0%.
        Assert.Equal((1, 4, 0, 90.0m, 2), (actual.Households, actual.People, actual.Villages, actual.IncomeGrowthPercent, actual.HouseholdsCompared));
        Assert.Equal(4, actual.IncomeEventIds.Distinct().Count());
        await using (var session = Fixture.Store.QuerySession(Counties.Xinfeng))
        {
            var stream = await session.Events.FetchStreamAsync(exit);
            Assert.Equal([stream[^1].Id], actual.HouseholdExitEventIds);   // the final step (销号) is what it rests on
        }

        await Given.Steps(unfinished, ("town-review", "2017-11-05", null), ("county-approval", "2017-11-20", null), ("registry-removal", "2017-12-01", null));
        actual = (await Given.Get<TownTargetsAnswer>($"/api/targets/2017/towns/{Town}")).Actual;
        Assert.Equal((1, 1), (actual.Villages, actual.VillageExitEventIds.Count));

        // Another town has none; its income growth is unknown, not zero.
        var other = (await Given.Get<TargetsList>("/api/targets/2017/towns")).Towns.Single(t => t.Town == "440233101").Actual;
        Assert.Equal((0, 0, 0, (decimal?)null), (other.Households, other.People, other.Villages, other.IncomeGrowthPercent));
    }

    [Fact]
    public async Task The_results_group_scores_actual_against_target_and_without_targets_shows_no_data()
    {
        await Given.SampleRegistry();
        var rulebook = Rulebook.Default(2017) with { Results = ResultsRules.AgainstTargets };
        await Expect(await Given.Post("/api/rulebooks", rulebook, Given.PovertyOffice), 201);
        var bad = await Given.Post("/api/rulebooks", rulebook with { Results = "by-feel" }, Given.PovertyOffice);
        Assert.Equal(400, bad.StatusCode);

        // Target: 2 households, 8 people (villages and income growth 0: not measured). Actual: 1 household of 4 people.
        await Expect(await Given.PostJson("/api/targets", new Dictionary<string, object?>
        {
            ["town"] = Town, ["year"] = 2017, ["annual"] = new { households = 2, people = 8, villages = 0, incomeGrowthPercent = 0m },
            ["documentName"] = "年度目标任务", ["documentNumber"] = "丰扶组〔2017〕3号",
        }, Given.PovertyOffice), 201);
        await Given.EnrolledHousehold("H-1", size: 4, exitIncome: 8000m);
        var exit = await Given.OpenDecision(new { subject = "household", kind = "exit", year = 2017, household = "H-1" });
        await Given.Steps(exit, CleanExitSteps);

        var breakdown = await Given.Get<AssessmentBreakdown>($"/api/assessments/2017/towns/{Town}");
        var card = breakdown.Card;
        // 50 (weight) − 25 × (1 − 1/2) − 25 × (1 − 4/8) = 25, on 50 of 100 points: scaled 50.
        Assert.Equal((25m, 50m, 50m), (card.Score, card.ScoredOn, card.Scaled));
        Assert.Equal(["weight", "results:households", "results:people"], card.Lines.Select(l => l.Rule).ToArray());
        Assert.Equal(card.Score, card.Lines.Sum(l => l.Points));
        Guid targetsEvent, finalStep;
        await using (var session = Fixture.Store.QuerySession(Counties.Xinfeng))
        {
            targetsEvent = (await session.Events.FetchStreamAsync(RecordPovertyTargets.StreamOf(Counties.Xinfeng, Town, 2017)))[^1].Id;
            finalStep = (await session.Events.FetchStreamAsync(exit))[^1].Id;
        }
        Assert.All(card.Lines.Skip(1), l =>
        {
            Assert.Equal(-12.5m, l.Points);
            Assert.Equal([targetsEvent, finalStep], l.EventIds);
        });

        // A town without targets: the results group shows 无数据, never full marks.
        var towns = await Given.Get<AssessmentList>("/api/assessments/2017/towns");
        var other = towns.Scores.Single(s => s.Code == "440233101");
        Assert.Equal((null, "无数据"), (other.Score, other.Groups.Single(g => g.Code == "results").Shown));
        Assert.Equal(1, towns.Scores.Single(s => s.Code == Town).Rank);
    }
}
