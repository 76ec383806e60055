using Ledger.Domain.Access;
using System.Text.Json;
using Ledger.Api.Auth;
using Ledger.Tests.Fixtures;
using static Ledger.Tests.Fixtures.Scenarios;

namespace Ledger.Tests.Inspections;

public sealed class InspectionPathTests(LedgerFixture fixture) : IntegrationTest(fixture)
{
    [Fact]
    public async Task Plan_team_field_records_and_corrections_all_land_as_events()
    {
        await Given.SampleRegistry();
        var office = Fixture.Token(Roles.InspectionOffice, user: "督查室刘");

        // Plan: 201 with the location of the new inspection.
        var planned = await Given.PostJson("/api/inspections", PlanBody(), office);
        var id = (await Expect(planned, 201)).GetProperty("id").GetGuid();
        Assert.Equal($"/api/inspections/{id}", planned.Location);
        var inspection = await Given.GetJson($"/api/inspections/{id}");
        Assert.Equal("planned", inspection.GetProperty("status").GetString());
        Assert.Equal("已制定方案", inspection.GetProperty("statusLabel").GetString());
        Assert.Equal("综合督查", inspection.GetProperty("kindLabel").GetString());
        Assert.Equal(8, inspection.GetProperty("contentAreas").GetArrayLength());
        Assert.Equal("财政扶贫资金", inspection.GetProperty("contentAreaLabels")[6].GetProperty("label").GetString());

        // Team, then field work.
        await Expect(await Given.PostJson($"/api/inspections/{id}/team", new
        {
            expectedVersion = 1,
            leader = Person(LeaderUser, "王组长", unit: "czj"),
            members = new[] { Person(MemberUser, "李组员", unit: "sjj") },
        }, office), 200);
        var started = await Expect(await Given.PostJson($"/api/inspections/{id}/fieldwork",
            new { expectedVersion = 2, startedOn = "2017-07-02" }, Given.Inspector()), 200);
        Assert.Equal(3, started.GetProperty("version").GetInt64());
        inspection = await Given.GetJson($"/api/inspections/{id}");
        Assert.Equal("in-field", inspection.GetProperty("status").GetString());
        Assert.Equal(LeaderUser, inspection.GetProperty("leader").GetProperty("user").GetString());

        // A finding, by a team member.
        var findingResponse = await Given.PostJson($"/api/inspections/{id}/findings", FindingBody(), Given.Inspector(MemberUser));
        var findingId = (await Expect(findingResponse, 201)).GetProperty("id").GetGuid();
        Assert.Equal($"/api/cases/{findingId}", findingResponse.Location);

        // A funding check with irregularities: a problem in area 7, its severity derived.
        var check = await Given.PostJson($"/api/inspections/{id}/funding-checks", new
        {
            fund = "2017年省级扶贫开发资金", sourceLevel = "provincial", project = "村道硬化", town = "440233101",
            allocated = 200000.00m, arrived = 200000.00m, spent = 50000.50m, arrivedOn = "2017-02-10",
            irregularities = new[] { "idle", "diverted" }, idleMonths = 5, method = "document-review",
        }, Given.Inspector());
        var checkId = (await Expect(check, 201)).GetProperty("id").GetGuid();

        // Amend the finding, withdraw the check.
        await Expect(await Given.PostJson($"/api/findings/{findingId}/amendments", new
        {
            expectedVersion = 1, reason = "复核后升级", severity = "grave",
            addEvidence = new[] { new { title = "复核笔录", kind = "transcript" } },
        }, Given.Inspector()), 200);
        await Expect(await Given.PostJson($"/api/findings/{checkId}/withdrawal",
            new { expectedVersion = 1, reason = "资金属另一项目，重复登记" }, office), 200);

        var finding = await Given.GetJson($"/api/cases/{findingId}");
        var state = finding.GetProperty("case");
        Assert.Equal("grave", state.GetProperty("severity").GetString());
        Assert.Equal("严重", state.GetProperty("severityLabel").GetString());
        Assert.Equal("identification-and-exit", state.GetProperty("area").GetString());
        Assert.Equal("实地调查", state.GetProperty("methodLabel").GetString());
        Assert.Equal(2, state.GetProperty("evidence").GetArrayLength());
        Assert.Equal(MemberUser, state.GetProperty("recordedBy").GetString());
        Assert.Equal(2, state.GetProperty("version").GetInt64());
        var history = finding.GetProperty("history").EnumerateArray().ToList();
        Assert.Equal(["finding_recorded", "finding_amended"], history.Select(h => h.GetProperty("type").GetString()!).ToArray());
        Assert.Equal(["记录督查发现", "更正督查发现"], history.Select(h => h.GetProperty("label").GetString()!).ToArray());
        Assert.Equal([MemberUser, LeaderUser], history.Select(h => h.GetProperty("user").GetString()!).ToArray());
        Assert.All(history, h => Assert.Equal(Roles.Inspector, h.GetProperty("role").GetString()));
        Assert.Equal("serious", history[0].GetProperty("data").GetProperty("severity").GetString());
        Assert.Equal("复核后升级", history[1].GetProperty("data").GetProperty("reason").GetString());

        var withdrawn = (await Given.GetJson($"/api/cases/{checkId}")).GetProperty("case");
        Assert.Equal("withdrawn", withdrawn.GetProperty("status").GetString());
        Assert.Equal("fiscal-funds", withdrawn.GetProperty("area").GetString());
        Assert.Equal("grave", withdrawn.GetProperty("severity").GetString());
        Assert.Equal(50000.50m, withdrawn.GetProperty("funding").GetProperty("spent").GetDecimal());
        Assert.Equal(["资金闲置", "挪用"], withdrawn.GetProperty("funding").GetProperty("irregularityLabels").EnumerateArray()
            .Select(l => l.GetProperty("label").GetString()!).ToArray());
        Assert.False(withdrawn.GetProperty("isProblem").GetBoolean());
    }

    [Fact]
    public async Task A_village_target_fills_in_its_town_and_must_lie_in_scope()
    {
        await Given.SampleRegistry();
        var id = await Given.InspectionInField();
        var caseId = await Given.RecordedFinding(id, FindingBody(town: null, village: "440233100202"));
        var state = (await Given.GetJson($"/api/cases/{caseId}")).GetProperty("case");
        Assert.Equal("440233100", state.GetProperty("townCode").GetString());

        var before = await Fixture.EventCountAsync();
        var outside = await Given.PostJson($"/api/inspections/{id}/findings", FindingBody(town: null, village: "440233105201"), Given.Inspector());
        var problem = await Expect(outside, 400);
        Assert.Contains("neither in a covered town", problem.GetProperty("detail").GetString());
        Assert.Equal(before, await Fixture.EventCountAsync());
    }

    [Fact]
    public async Task A_funding_check_over_spent_needs_its_reason()
    {
        await Given.SampleRegistry();
        var id = await Given.InspectionInField();
        object Check(string? reason) => new
        {
            fund = "县级配套资金", sourceLevel = "county", project = "危房改造", town = "440233100",
            allocated = 100m, arrived = 100m, spent = 120m, overspendReason = reason, method = "document-review",
        };
        var refused = await Expect(await Given.PostJson($"/api/inspections/{id}/funding-checks", Check(null), Given.Inspector()), 400);
        Assert.Contains("overspendReason", refused.GetProperty("detail").GetString());

        var accepted = await Expect(await Given.PostJson($"/api/inspections/{id}/funding-checks", Check("垫付后补拨"), Given.Inspector()), 201);
        var state = (await Given.GetJson($"/api/cases/{accepted.GetProperty("id").GetGuid()}")).GetProperty("case");
        Assert.False(state.GetProperty("isProblem").GetBoolean());
        Assert.Equal(JsonValueKind.Null, state.GetProperty("severity").ValueKind);
    }

    [Fact]
    public async Task Cross_inspection_draws_people_from_the_inspecting_town_only()
    {
        await Given.SampleRegistry();
        var id = await Given.PlannedInspection(PlanBody(towns: ["440233100"], units: [], cross: true, inspectingTown: "440233101"));
        var office = Fixture.Token(Roles.InspectionOffice);

        var fromInspected = await Given.PostJson($"/api/inspections/{id}/team", new
        {
            expectedVersion = 1, leader = Person("a", "甲", town: "440233101"), members = new[] { Person("b", "乙", town: "440233100") },
        }, office);
        var problem = await Expect(fromInspected, 409);
        Assert.Contains("乙 (b) belongs to town 440233100", problem.GetProperty("detail").GetString());

        await Expect(await Given.PostJson($"/api/inspections/{id}/team", new
        {
            expectedVersion = 1, leader = Person("a", "甲", town: "440233101"), members = new[] { Person("c", "丙", unit: "czj") },
        }, office), 200);
    }
}
