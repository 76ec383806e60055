using Ledger.Api.Cases;
using Ledger.Api.Identification;
using Ledger.Domain.Identification;
using Ledger.Domain.Inspections;
using Ledger.Tests.Fixtures;
using static Ledger.Tests.Fixtures.Scenarios;

namespace Ledger.Tests.Identification;

public sealed class ReviewTests(LedgerFixture fixture) : IntegrationTest(fixture)
{
    private async Task<Guid> Review(Guid inspection, ReviewIdentification body, int status = 201)
    {
        var answer = await Expect(await Given.Post($"/api/inspections/{inspection}/identification-reviews", body, Given.Inspector()), status);
        return status == 201 ? answer.GetProperty("id").GetGuid() : Guid.Empty;
    }

    private static ReviewIdentification OfDecision(Guid decision, ReviewVerdict verdict, string description) =>
        new(decision, null, null, null, null, verdict, description, null, null, null, null);

    private static ReviewIdentification InVillage(string village, int people, int? unregistered, ReviewVerdict verdict, string description) =>
        new(null, null, village, people, unregistered, verdict, description, null, null, null, null);

    [Fact]
    public async Task Reviews_give_verdicts_and_the_town_accuracy_rates_follow_the_formulas()
    {
        await Given.SampleRegistry();
        // Exits: A (4 people) correct, B (3 people) wrongly exited.
        await Given.EnrolledHousehold("A", size: 4);
        await Given.EnrolledHousehold("B", size: 3);
        var exitA = await Given.OpenDecision(HouseholdDecision("A", DecisionKind.Exit));
        var exitB = await Given.OpenDecision(HouseholdDecision("B", DecisionKind.Exit));
        // Entries: C (5 people) wrongly enrolled, D (5 people) correct.
        await Given.Household("C", size: 5);
        await Given.Household("D", size: 5);
        var entryC = await Given.OpenDecision(HouseholdDecision("C", DecisionKind.Entry));
        var entryD = await Given.OpenDecision(HouseholdDecision("D", DecisionKind.Entry));

        var inspection = await Given.InspectionInField(PlanBody(towns: ["440233100"], units: [], areas: [4]));
        await Review(inspection, OfDecision(exitA, ReviewVerdict.Correct, "核实无误"));
        var wrongExit = await Review(inspection, OfDecision(exitB, ReviewVerdict.WronglyExited, "收入未达标即退出"));
        await Review(inspection, OfDecision(entryC, ReviewVerdict.WronglyEnrolled, "家有商铺"));
        await Review(inspection, OfDecision(entryD, ReviewVerdict.ProcedureViolated, "评议记录缺签名"));
        // Missed: 2 people in village 201 of 100 unregistered; a correct non-enrolment of 3 in village 202 of 150.
        await Review(inspection, InVillage("440233100201", 2, 100, ReviewVerdict.Missed, "符合条件未纳入"));
        await Review(inspection, InVillage("440233100202", 3, 150, ReviewVerdict.Correct, "不符合条件"));
        // A review withdrawn later does not count.
        var withdrawn = await Review(inspection, OfDecision(exitA, ReviewVerdict.WronglyExited, "误判"));
        await Expect(await Given.Post($"/api/findings/{withdrawn}/withdrawal", new WithdrawFinding(1, "重复复核"), Given.Inspector()), 200);
        // Approval surveys: 95 of 100 and 80 of 100.
        foreach (var (asked, yes) in new[] { (100, 95), (100, 80) })
            await Expect(await Given.Post($"/api/inspections/{inspection}/approval-surveys",
                new RecordApprovalSurvey("440233100", null, asked, yes, null), Given.Inspector()), 201);

        var review = (await Given.Get<CaseAnswer>($"/api/cases/{wrongExit}")).Case;
        Assert.True(review.IsProblem);
        Assert.Equal(ContentArea.IdentificationAndExit, review.Area);
        Assert.Equal(Severity.Serious, review.Severity);
        Assert.Equal("错退", review.Review!.VerdictLabel);

        var figures = (await Given.Get<AccuracyAnswer>("/api/towns/440233100/accuracy?year=2017")).Figures;
        Assert.Equal(6, figures.Reviews);
        static void Check(Rate rate, int numerator, int denominator, decimal value, bool met)
        {
            Assert.Equal(numerator, rate.Numerator);
            Assert.Equal(denominator, rate.Denominator);
            Assert.Equal(value, rate.Value);
            Assert.Equal(met, rate.Met);
        }
        Check(figures.WrongExit, 3, 7, 0.4286m, false);
        Check(figures.WrongEnrolment, 5, 10, 0.5m, false);
        Check(figures.Missed, 2, 250, 0.008m, true);
        Check(figures.PublicApproval, 175, 200, 0.875m, false);
        Assert.Equal(0.02m, figures.WrongExit.Threshold);
    }

    [Fact]
    public async Task A_verdict_must_fit_what_was_reviewed()
    {
        await Given.SampleRegistry();
        await Given.Household("E", size: 2);
        var entry = await Given.OpenDecision(HouseholdDecision("E", DecisionKind.Entry));
        var inspection = await Given.InspectionInField(PlanBody(towns: ["440233100"], units: [], areas: [4]));
        var before = await Fixture.EventCountAsync();

        await Review(inspection, OfDecision(entry, ReviewVerdict.WronglyExited, "x"), 400);
        await Review(inspection, OfDecision(entry, ReviewVerdict.Missed, "x"), 400);
        await Review(inspection, InVillage("440233100201", 2, null, ReviewVerdict.WronglyEnrolled, "x"), 400);
        await Review(inspection, InVillage("440233105201", 2, null, ReviewVerdict.Missed, "out of scope"), 400);
        await Review(inspection, OfDecision(Guid.NewGuid(), ReviewVerdict.Correct, "x"), 404);
        Assert.Equal(before, await Fixture.EventCountAsync());

        var correct = await Review(inspection, OfDecision(entry, ReviewVerdict.Correct, "符合标准"));
        Assert.False((await Given.Get<CaseAnswer>($"/api/cases/{correct}")).Case.IsProblem);
    }
}
