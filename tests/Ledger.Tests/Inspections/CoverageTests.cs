using Ledger.Domain.Access;
using Ledger.Api.Auth;
using Ledger.Tests.Fixtures;
using static Ledger.Tests.Fixtures.Scenarios;

namespace Ledger.Tests.Inspections;

public sealed class CoverageTests(LedgerFixture fixture) : IntegrationTest(fixture)
{
    [Fact]
    public async Task Coverage_counts_comprehensive_inspections_in_the_field_for_every_town_and_unit()
    {
        await Given.SampleRegistry();
        // In the field: towns 100 and 101, work team wt-100. Only planned: town 102. Special: town 103 (does not count).
        var inField = await Given.InspectionInField(PlanBody(towns: ["440233100", "440233101"], units: ["wt-100"]));
        var plannedOnly = await Given.PlannedInspection(PlanBody(towns: ["440233102"], units: []));
        await Given.InspectionInField(PlanBody(kind: "special", topic: "危房改造", towns: ["440233103"], units: [], areas: [2]));
        await Given.PlannedInspection(PlanBody(year: 2018, towns: ["440233104"], units: []));

        var coverage = await Given.GetJson("/api/coverage/2017", Roles.InspectionOffice);
        Assert.Equal(2017, coverage.GetProperty("year").GetInt32());
        var towns = coverage.GetProperty("towns").EnumerateArray().ToDictionary(t => t.GetProperty("code").GetString()!);
        Assert.Equal(7, towns.Count);
        Assert.True(towns["440233100"].GetProperty("covered").GetBoolean());
        Assert.Equal(inField, towns["440233100"].GetProperty("inspections")[0].GetProperty("id").GetGuid());
        Assert.False(towns["440233102"].GetProperty("covered").GetBoolean());
        Assert.True(towns["440233102"].GetProperty("planned").GetBoolean());
        Assert.Equal(plannedOnly, towns["440233102"].GetProperty("inspections")[0].GetProperty("id").GetGuid());
        Assert.False(towns["440233103"].GetProperty("covered").GetBoolean());
        Assert.Equal(0, towns["440233103"].GetProperty("inspections").GetArrayLength());

        Assert.Equal(["440233001", "440233102", "440233103", "440233104", "440233105"],
            coverage.GetProperty("townsNotCovered").EnumerateArray().Select(c => c.GetString()!).ToArray());
        var unitsNotCovered = coverage.GetProperty("unitsNotCovered").EnumerateArray().Select(c => c.GetString()!).ToList();
        Assert.DoesNotContain("wt-100", unitsNotCovered);
        Assert.Equal(coverage.GetProperty("units").GetArrayLength() - 1, unitsNotCovered.Count);

        Assert.Equal(403, (await Given.Get("/api/coverage/2017", Fixture.Token(Roles.Inspector))).StatusCode);
    }
}
