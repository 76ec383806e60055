using Ledger.Domain.Access;
using System.Net.Http.Json;
using System.Text;
using Ledger.Api.Auth;
using Ledger.Tests.Fixtures;
using static Ledger.Tests.Fixtures.Scenarios;

namespace Ledger.Tests.Inspections;

/// <summary>Every refusal answers with problem details and leaves the event count as it was.</summary>
public sealed class InspectionRefusalTests(LedgerFixture fixture) : IntegrationTest(fixture)
{
    private async Task<string> Refused(string url, object body, string token, int status)
    {
        var before = await Fixture.EventCountAsync();
        var response = await Given.PostJson(url, body, token);
        var problem = await Expect(response, status);
        Assert.Equal("application/problem+json", response.ContentType);
        Assert.Equal(before, await Fixture.EventCountAsync());
        var detail = problem.TryGetProperty("detail", out var d) ? d.GetString() : "";
        var errors = problem.TryGetProperty("errors", out var e) ? e.EnumerateArray().Select(x => x.GetString()) : [];
        return string.Join(" | ", [detail, .. errors]);
    }

    [Fact]
    public async Task Only_the_two_offices_plan()
    {
        await Given.SampleRegistry();
        foreach (var role in new[] { Roles.Inspector, Roles.Reviewer })
            await Refused("/api/inspections", PlanBody(), Fixture.Token(role), 403);
        await Refused("/api/inspections", PlanBody(), Fixture.Token(Roles.Respondent, scope: "town:440233100"), 403);
    }

    [Fact]
    public async Task A_bad_plan_is_refused_listing_every_problem()
    {
        await Given.SampleRegistry();
        var plan = PlanBody(kind: "special", towns: ["440233999"], units: ["nope"], areas: [0, 9]);
        plan["responsibilities"] = Array.Empty<object>();
        plan["plannedEnd"] = "2017-06-01";
        var detail = await Refused("/api/inspections", plan, Fixture.Token(Roles.InspectionOffice), 400);
        foreach (var expected in new[] { "topic", "unknown town code '440233999'", "unknown unit code 'nope'", "content area 0",
                     "content area 9", "responsibility list", "plannedEnd is before plannedStart" })
            Assert.Contains(expected, detail);
    }

    [Theory]
    [InlineData("{not json")]
    [InlineData("{\"kind\": 42}")]
    [InlineData("{\"kind\": \"monthly\"}")]
    [InlineData("{\"year\": \"twenty\"}")]
    public async Task Malformed_or_mistyped_json_is_a_400(string json)
    {
        await Given.SampleRegistry();
        var before = await Fixture.EventCountAsync();
        var response = await Given.Send(HttpMethod.Post, "/api/inspections", Fixture.Token(Roles.InspectionOffice),
            new StringContent(json, Encoding.UTF8, "application/json"));
        Assert.Equal(400, response.StatusCode);
        Assert.Equal(before, await Fixture.EventCountAsync());
    }

    [Fact]
    public async Task A_person_never_inspects_their_own_town_or_unit()
    {
        await Given.SampleRegistry();
        var id = await Given.PlannedInspection(PlanBody(towns: ["440233100"], units: ["nyj"]));
        var office = Fixture.Token(Roles.InspectionOffice);

        var detail = await Refused($"/api/inspections/{id}/team", new
        {
            expectedVersion = 1,
            leader = Person("zhao", "赵局长", unit: "nyj"),
            members = new[] { Person("qian", "钱队员", unit: "wt-100"), Person("sun", "孙干部", unit: "gdj") },
        }, office, 409);
        Assert.Contains("赵局长 (zhao) belongs to unit nyj", detail);
        Assert.Contains("钱队员 (qian) belongs to the work team stationed in town 440233100", detail);
        Assert.Contains("孙干部 (sun) comes from unit gdj", detail);
        Assert.Contains("not a leading-group member unit", detail);
    }

    [Fact]
    public async Task Out_of_order_steps_are_conflicts()
    {
        await Given.SampleRegistry();
        var id = await Given.PlannedInspection();
        var office = Fixture.Token(Roles.InspectionOffice);

        // Field work before a team; a finding before field work.
        Assert.Contains("team has not been formed", await Refused($"/api/inspections/{id}/fieldwork", new { expectedVersion = 1, startedOn = "2017-07-02" }, office, 409));
        await Expect(await Given.PostJson($"/api/inspections/{id}/team", new { expectedVersion = 1, leader = Person(LeaderUser, "王", unit: "czj") }, office), 200);
        Assert.Contains("only while the inspection is in the field",
            await Refused($"/api/inspections/{id}/findings", FindingBody(), Given.Inspector(), 409));

        await Expect(await Given.PostJson($"/api/inspections/{id}/fieldwork", new { expectedVersion = 2, startedOn = "2017-07-02" }, office), 200);
        Assert.Contains("before field work starts",
            await Refused($"/api/inspections/{id}/team", new { expectedVersion = 3, leader = Person(LeaderUser, "王", unit: "czj") }, office, 409));
        Assert.Contains("already", await Refused($"/api/inspections/{id}/fieldwork", new { expectedVersion = 3, startedOn = "2017-07-03" }, office, 409));
    }

    [Fact]
    public async Task A_stale_version_is_a_conflict_that_names_the_current_one()
    {
        await Given.SampleRegistry();
        var id = await Given.InspectionInField();
        var caseId = await Given.RecordedFinding(id);
        await Expect(await Given.PostJson($"/api/findings/{caseId}/amendments", new { expectedVersion = 1, reason = "r", severity = "minor" }, Given.Inspector()), 200);

        var before = await Fixture.EventCountAsync();
        var stale = await Given.PostJson($"/api/findings/{caseId}/amendments", new { expectedVersion = 1, reason = "r2", severity = "grave" }, Given.Inspector());
        var problem = await Expect(stale, 409);
        Assert.Equal(2, problem.GetProperty("currentVersion").GetInt64());
        Assert.Equal(before, await Fixture.EventCountAsync());

        await Refused($"/api/findings/{caseId}/amendments", new { reason = "no version", severity = "grave" }, Given.Inspector(), 400);
    }

    [Fact]
    public async Task Unknown_ids_are_404_and_other_counties_do_not_see_them()
    {
        await Given.SampleRegistry();
        var id = await Given.InspectionInField();
        var caseId = await Given.RecordedFinding(id);

        await Refused($"/api/inspections/{Guid.NewGuid()}/findings", FindingBody(), Given.Inspector(), 404);
        await Refused($"/api/findings/{Guid.NewGuid()}/withdrawal", new { expectedVersion = 1, reason = "x" }, Fixture.Token(Roles.InspectionOffice), 404);

        var otherCounty = Fixture.Token(Roles.InspectionOffice, county: "440229");
        await Refused($"/api/findings/{caseId}/withdrawal", new { expectedVersion = 1, reason = "x" }, otherCounty, 404);
        Assert.Equal(404, (await Given.Get($"/api/cases/{caseId}", Fixture.Token(Roles.Reviewer, county: "440229"))).StatusCode);
        Assert.Equal(404, (await Given.Get($"/api/inspections/{id}", Fixture.Token(Roles.Reviewer, county: "440229"))).StatusCode);
    }

    [Fact]
    public async Task Only_the_team_records_and_only_within_the_inspection()
    {
        await Given.SampleRegistry();
        var id = await Given.InspectionInField(PlanBody(areas: [1, 4]));
        await Refused($"/api/inspections/{id}/findings", FindingBody(), Given.Inspector("stranger"), 404);   // not theirs: as if absent
        await Refused($"/api/inspections/{id}/findings", FindingBody(), Fixture.Token(Roles.InspectionOffice), 403);
        Assert.Contains("content area 7 is not examined",
            await Refused($"/api/inspections/{id}/findings", FindingBody(area: 7), Given.Inspector(), 400));
        Assert.Contains("does not examine fiscal poverty funds", await Refused($"/api/inspections/{id}/funding-checks", new
        {
            fund = "f", sourceLevel = "county", project = "p", town = "440233100", allocated = 1m, arrived = 1m, spent = 1m, method = "document-review",
        }, Given.Inspector(), 400));
        Assert.Contains("town 440233105 is not covered",
            await Refused($"/api/inspections/{id}/findings", FindingBody(town: "440233105", village: null), Given.Inspector(), 400));
        Assert.Contains("unknown village code",
            await Refused($"/api/inspections/{id}/findings", FindingBody(village: "440233100299"), Given.Inspector(), 400));
    }

    [Fact]
    public async Task Amounts_must_be_yuan_with_two_decimals_and_not_negative()
    {
        await Given.SampleRegistry();
        var id = await Given.InspectionInField();
        var detail = await Refused($"/api/inspections/{id}/funding-checks", new
        {
            fund = "f", sourceLevel = "county", project = "p", town = "440233100",
            allocated = -1m, arrived = 10.125m, spent = 1m, irregularities = new[] { "idle" }, method = "document-review",
        }, Given.Inspector(), 400);
        Assert.Contains("allocated must not be negative", detail);
        Assert.Contains("arrived has more than 2 decimal places", detail);

        var missingIdle = await Refused($"/api/inspections/{id}/funding-checks", new
        {
            fund = "f", sourceLevel = "county", project = "p", town = "440233100",
            allocated = 1m, arrived = 1m, spent = 1m, irregularities = new[] { "idle" }, method = "document-review",
        }, Given.Inspector(), 400);
        Assert.Contains("idleMonths", missingIdle);
    }

    [Fact]
    public async Task Corrections_need_a_reason_a_change_and_a_live_record()
    {
        await Given.SampleRegistry();
        var id = await Given.InspectionInField();
        var caseId = await Given.RecordedFinding(id);
        var office = Fixture.Token(Roles.InspectionOffice);

        Assert.Contains("reason", await Refused($"/api/findings/{caseId}/amendments", new { expectedVersion = 1, severity = "grave" }, office, 400));
        Assert.Contains("changes nothing", await Refused($"/api/findings/{caseId}/amendments", new { expectedVersion = 1, reason = "r", severity = "serious" }, office, 400));
        Assert.Contains("belong to funding checks", await Refused($"/api/findings/{caseId}/amendments", new { expectedVersion = 1, reason = "r", spent = 1m }, office, 400));
        await Refused($"/api/findings/{caseId}/amendments", new { expectedVersion = 1, reason = "r", severity = "grave" }, Given.Inspector("stranger"), 404);
        await Refused($"/api/findings/{caseId}/withdrawal", new { expectedVersion = 1, reason = "r" }, Fixture.Token(Roles.Reviewer), 403);

        await Expect(await Given.PostJson($"/api/findings/{caseId}/withdrawal", new { expectedVersion = 1, reason = "误记" }, office), 200);
        Assert.Contains("already withdrawn", await Refused($"/api/findings/{caseId}/withdrawal", new { expectedVersion = 2, reason = "again" }, office, 409));
        Assert.Contains("withdrawn", await Refused($"/api/findings/{caseId}/amendments", new { expectedVersion = 2, reason = "r", severity = "grave" }, office, 409));
    }
}
