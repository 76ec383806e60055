using Ledger.Api.Auth;
using Ledger.Tests.Fixtures;
using static Ledger.Tests.Fixtures.Scenarios;

namespace Ledger.Tests.Identification;

public sealed class ReviewTests(LedgerFixture fixture) : IntegrationTest(fixture)
{
    private async Task<Guid> Review(Guid inspection, object body, int status = 201)
    {
        var answer = await Expect(await Given.PostJson($"/api/inspections/{inspection}/identification-reviews", body, Given.Inspector()), status);
        return status == 201 ? answer.GetProperty("id").GetGuid() : Guid.Empty;
    }

    [Fact]
    public async Task Reviews_give_verdicts_and_the_town_accuracy_rates_follow_the_formulas()
    {
        await Given.SampleRegistry();
        // Exits: A (4 people) correct, B (3 people) wrongly exited.
        await Given.EnrolledHousehold("A", size: 4);
        await Given.EnrolledHousehold("B", size: 3);
        var exitA = await Given.OpenDecision(new { subject = "household", kind = "exit", year = 2017, household = "A" });
        var exitB = await Given.OpenDecision(new { subject = "household", kind = "exit", year = 2017, household = "B" });
        // Entries: C (5 people) wrongly enrolled, D (5 people) correct.
        await Given.Household("C", size: 5);
        await Given.Household("D", size: 5);
        var entryC = await Given.OpenDecision(new { subject = "household", kind = "entry", year = 2017, household = "C" });
        var entryD = await Given.OpenDecision(new { subject = "household", kind = "entry", year = 2017, household = "D" });

        var inspection = await Given.InspectionInField(PlanBody(towns: ["440233100"], units: [], areas: [4]));
        await Review(inspection, new { decision = exitA, verdict = "correct", description = "核实无误" });
        var wrongExit = await Review(inspection, new { decision = exitB, verdict = "wrongly-exited", description = "收入未达标即退出" });
        await Review(inspection, new { decision = entryC, verdict = "wrongly-enrolled", description = "家有商铺" });
        await Review(inspection, new { decision = entryD, verdict = "procedure-violated", description = "评议记录缺签名" });
        // Missed: 2 people in village 201 of 100 unregistered; a correct non-enrolment of 3 in village 202 of 150.
        await Review(inspection, new { village = "440233100201", people = 2, unregisteredPeopleInVillage = 100, verdict = "missed", description = "符合条件未纳入" });
        await Review(inspection, new { village = "440233100202", people = 3, unregisteredPeopleInVillage = 150, verdict = "correct", description = "不符合条件" });
        // A review withdrawn later does not count.
        var withdrawn = await Review(inspection, new { decision = exitA, verdict = "wrongly-exited", description = "误判" });
        await Expect(await Given.PostJson($"/api/findings/{withdrawn}/withdrawal", new { expectedVersion = 1, reason = "重复复核" }, Given.Inspector()), 200);
        // Approval surveys: 95 of 100 and 80 of 100.
        foreach (var (asked, yes) in new[] { (100, 95), (100, 80) })
            await Expect(await Given.PostJson($"/api/inspections/{inspection}/approval-surveys",
                new { town = "440233100", respondents = asked, approving = yes }, Given.Inspector()), 201);

        var review = (await Given.GetJson($"/api/cases/{wrongExit}")).GetProperty("case");
        Assert.True(review.GetProperty("isProblem").GetBoolean());
        Assert.Equal("identification-and-exit", review.GetProperty("area").GetString());
        Assert.Equal("serious", review.GetProperty("severity").GetString());
        Assert.Equal("错退", review.GetProperty("review").GetProperty("verdictLabel").GetString());

        var figures = (await Given.GetJson("/api/towns/440233100/accuracy?year=2017")).GetProperty("figures");
        Assert.Equal(6, figures.GetProperty("reviews").GetInt32());
        void Rate(string name, int numerator, int denominator, decimal value, bool met)
        {
            var rate = figures.GetProperty(name);
            Assert.Equal(numerator, rate.GetProperty("numerator").GetInt32());
            Assert.Equal(denominator, rate.GetProperty("denominator").GetInt32());
            Assert.Equal(value, rate.GetProperty("value").GetDecimal());
            Assert.Equal(met, rate.GetProperty("met").GetBoolean());
        }
        Rate("wrongExit", 3, 7, 0.4286m, false);
        Rate("wrongEnrolment", 5, 10, 0.5m, false);
        Rate("missed", 2, 250, 0.008m, true);
        Rate("publicApproval", 175, 200, 0.875m, false);
        Assert.Equal(0.02m, figures.GetProperty("wrongExit").GetProperty("threshold").GetDecimal());
    }

    [Fact]
    public async Task A_verdict_must_fit_what_was_reviewed()
    {
        await Given.SampleRegistry();
        await Given.Household("E", size: 2);
        var entry = await Given.OpenDecision(new { subject = "household", kind = "entry", year = 2017, household = "E" });
        var inspection = await Given.InspectionInField(PlanBody(towns: ["440233100"], units: [], areas: [4]));
        var before = await Fixture.EventCountAsync();

        await Review(inspection, new { decision = entry, verdict = "wrongly-exited", description = "x" }, 400);
        await Review(inspection, new { decision = entry, verdict = "missed", description = "x" }, 400);
        await Review(inspection, new { village = "440233100201", people = 2, verdict = "wrongly-enrolled", description = "x" }, 400);
        await Review(inspection, new { village = "440233105201", people = 2, verdict = "missed", description = "out of scope" }, 400);
        await Review(inspection, new { decision = Guid.NewGuid(), verdict = "correct", description = "x" }, 404);
        Assert.Equal(before, await Fixture.EventCountAsync());

        var correct = await Review(inspection, new { decision = entry, verdict = "correct", description = "符合标准" });
        Assert.False((await Given.GetJson($"/api/cases/{correct}")).GetProperty("case").GetProperty("isProblem").GetBoolean());
    }
}
