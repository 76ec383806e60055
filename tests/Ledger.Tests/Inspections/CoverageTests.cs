using Ledger.Domain.Access;
using Ledger.Api.Inspections;
using Ledger.Tests.Fixtures;
using static Ledger.Tests.Fixtures.Scenarios;

namespace Ledger.Tests.Inspections;

public sealed class CoverageTests(LedgerFixture fixture) : IntegrationTest(fixture)
{
    /// <summary>Submits the report of an inspection in the field with no records (its stream at version 3).</summary>
    private async Task ReportSubmitted(Guid id) => await Expect(await Given.PostJson($"/api/inspections/{id}/report", new
    {
        expectedVersion = 3, situation = "未发现问题", problems = Array.Empty<object>(), opinions = "继续保持", suggestions = "无",
    }, Given.Inspector()), 200);

    [Fact]
    public async Task Coverage_counts_comprehensive_inspections_of_all_eight_areas_once_reported_for_every_town_and_unit()
    {
        await Given.SampleRegistry();
        Fixture.Clock.SetToday(new DateOnly(2017, 7, 10));
        // Towns 100 and 101, work team wt-100: in the field, later reported. Only planned: town 102.
        // Special: town 103 (does not count). Comprehensive of areas 1 and 2 only, reported: town 104 (does not count).
        var inField = await Given.InspectionInField(PlanBody(towns: ["440233100", "440233101"], units: ["wt-100"]));
        var plannedOnly = await Given.PlannedInspection(PlanBody(towns: ["440233102"], units: []));
        await Given.InspectionInField(PlanBody(kind: "special", topic: "危房改造", towns: ["440233103"], units: [], areas: [2]));
        var partial = await Given.InspectionInField(PlanBody(towns: ["440233104"], units: [], areas: [1, 2]));
        await ReportSubmitted(partial);
        await Given.PlannedInspection(PlanBody(year: 2018, towns: ["440233105"], units: []));

        // Field work alone does not cover: the town is still only "planned".
        var before = (await Given.Get<Coverage>("/api/coverage/2017", Roles.InspectionOffice)).Towns.Single(t => t.Code == "440233100");
        Assert.Equal((false, true), (before.Covered, before.Planned));

        await ReportSubmitted(inField);
        var coverage = await Given.Get<Coverage>("/api/coverage/2017", Roles.InspectionOffice);
        Assert.Equal(2017, coverage.Year);
        var towns = coverage.Towns.ToDictionary(t => t.Code);
        Assert.Equal(7, towns.Count);
        Assert.True(towns["440233100"].Covered);
        Assert.Equal(inField, towns["440233100"].Inspections[0].Id);
        Assert.False(towns["440233102"].Covered);
        Assert.True(towns["440233102"].Planned);
        Assert.Equal(plannedOnly, towns["440233102"].Inspections[0].Id);
        Assert.False(towns["440233103"].Covered);
        Assert.Empty(towns["440233103"].Inspections);
        var fewerAreas = towns["440233104"];
        Assert.Equal((false, false), (fewerAreas.Covered, fewerAreas.Planned));
        Assert.False(Assert.Single(fewerAreas.Inspections).ExaminesAllAreas);

        Assert.Equal(["440233001", "440233102", "440233103", "440233104", "440233105"], coverage.TownsNotCovered.ToArray());
        var unitsNotCovered = coverage.UnitsNotCovered;
        Assert.DoesNotContain("wt-100", unitsNotCovered);
        Assert.Equal(coverage.Units.Count - 1, unitsNotCovered.Count);

        Assert.Equal(403, (await Given.Get("/api/coverage/2017", Fixture.Token(Roles.Inspector))).StatusCode);
    }
}
