using Ledger.Domain.Access;
using System.Text;
using System.Text.Json;
using Ledger.Api.Auth;
using Ledger.Tests.Fixtures;
using static Ledger.Tests.Fixtures.Scenarios;

namespace Ledger.Tests.Audit;

public sealed class ReplayTests(LedgerFixture fixture) : IntegrationTest(fixture)
{
    [Fact]
    public async Task A_case_history_shows_its_events_and_the_inspection_events_it_hangs_from()
    {
        await Given.SampleRegistry();
        var r = await Given.ReportedInspection();
        await Given.NotifiedWithDeadline(r);

        var history = (await Given.GetJson($"/api/cases/{r.FindingA}/history")).EnumerateArray().ToList();
        Assert.Equal(
            ["inspection_planned", "inspection_team_formed", "inspection_fieldwork_started", "finding_recorded",
             "inspection_report_submitted", "inspection_results_notified", "inspection_results_notified", "rectification_required"],
            history.Select(h => h.GetProperty("type").GetString()!).ToArray());
        Assert.Equal(history.Select(h => h.GetProperty("sequence").GetInt64()).Order().ToArray(),
            history.Select(h => h.GetProperty("sequence").GetInt64()).ToArray());
        var recorded = history[3];
        Assert.Equal("case", recorded.GetProperty("stream").GetString());
        Assert.Equal("记录督查发现", recorded.GetProperty("label").GetString());
        Assert.Equal(LeaderUser, recorded.GetProperty("user").GetString());
        Assert.Equal(Roles.Inspector, recorded.GetProperty("role").GetString());
        Assert.Equal(1, recorded.GetProperty("version").GetInt64());
        Assert.Equal("通报督查结果", history[5].GetProperty("label").GetString());
        Assert.Equal(Roles.InspectionOffice, history[5].GetProperty("role").GetString());
    }

    [Fact]
    public async Task A_case_is_shown_exactly_as_it_stood_at_a_version_or_a_moment()
    {
        await Given.SampleRegistry();
        Fixture.Clock.SetToday(new DateOnly(2017, 7, 10));
        var id = await Given.InspectionInField();
        var caseId = await Given.RecordedFinding(id, FindingBody(severity: "minor"));
        var between = DateTimeOffset.UtcNow;
        await Task.Delay(20); // the server's timestamps must fall after the moment noted
        await Expect(await Given.PostJson($"/api/findings/{caseId}/amendments", new { expectedVersion = 1, reason = "复核", severity = "grave" }, Given.Inspector()), 200);

        var now = (await Given.GetJson($"/api/cases/{caseId}")).GetProperty("case");
        Assert.Equal("grave", now.GetProperty("severity").GetString());
        var atVersion = await Given.GetJson($"/api/cases/{caseId}?version=1");
        Assert.Equal("minor", atVersion.GetProperty("case").GetProperty("severity").GetString());
        Assert.Equal(1, atVersion.GetProperty("history").GetArrayLength());
        var atMoment = await Given.GetJson($"/api/cases/{caseId}?asOf={Uri.EscapeDataString(between.ToString("O"))}");
        Assert.Equal("minor", atMoment.GetProperty("case").GetProperty("severity").GetString());
        Assert.Equal(0, atMoment.GetProperty("case").GetProperty("amendments").GetInt32());
        var before = await Given.Get($"/api/cases/{caseId}?asOf=2000-01-01T00:00:00Z", Fixture.Token(Roles.Reviewer));
        Assert.Equal(404, before.StatusCode);
    }

    [Fact]
    public async Task Town_accountability_as_of_a_moment_folds_only_the_events_until_then()
    {
        await Given.SampleRegistry();
        var r = await Given.ReportedInspection();
        await Given.NotifiedWithDeadline(r);
        var moment = DateTimeOffset.UtcNow;
        await Task.Delay(20);
        await Given.Loop(r.FindingA, "responses", new { description = "d" }, Given.Respondent());
        await Given.Loop(r.FindingA, "acceptance", new { }, Fixture.Token(Roles.PovertyOffice));
        await Fixture.SettledAsync();

        var live = (await Given.GetJson("/api/towns/440233100/accountability?year=2017")).GetProperty("figures").GetProperty("rectification");
        Assert.Equal(1, live.GetProperty("closedOnTime").GetInt32());
        var past = await Given.GetJson($"/api/towns/440233100/accountability?year=2017&asOf={Uri.EscapeDataString(moment.ToString("O"))}");
        Assert.Equal(0, past.GetProperty("figures").GetProperty("rectification").GetProperty("closedOnTime").GetInt32());
        Assert.Equal(2, past.GetProperty("figures").GetProperty("rectification").GetProperty("open").GetInt32());
        Assert.Equal(2, past.GetProperty("figures").GetProperty("findings").GetProperty("total").GetInt32());
    }

    [Fact]
    public async Task Raw_events_export_as_ndjson_for_a_case_and_for_a_town()
    {
        await Given.SampleRegistry();
        var r = await Given.ReportedInspection();

        var response = await Given.Get($"/api/cases/{r.FindingA}/events.ndjson", Fixture.Token(Roles.Reviewer));
        Assert.Equal("application/x-ndjson", response.ContentType);
        var lines = Encoding.UTF8.GetString(response.Body).Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.Contains(lines, l => l.GetProperty("type").GetString() == "finding_recorded"
                                    && l.GetProperty("data").GetProperty("caseId").GetGuid() == r.FindingA);

        var town = await Given.Get("/api/towns/440233101/events.ndjson", Fixture.Token(Roles.Reviewer));
        var townLines = Encoding.UTF8.GetString(town.Body).Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => JsonDocument.Parse(l).RootElement.GetProperty("type").GetString()).ToList();
        Assert.Contains("funding_check_recorded", townLines);
        Assert.Contains("town_registered", townLines);
        Assert.DoesNotContain("finding_recorded", townLines); // both findings are in town 100
        var none = await Given.Get($"/api/towns/440233101/events.ndjson?to={Uri.EscapeDataString("2000-01-01T00:00:00Z")}", Fixture.Token(Roles.Reviewer));
        Assert.Equal(0, Encoding.UTF8.GetString(none.Body).Length);
        Assert.Equal(403, (await Given.Get("/api/towns/440233101/events.ndjson", Given.Respondent())).StatusCode);
    }
}
