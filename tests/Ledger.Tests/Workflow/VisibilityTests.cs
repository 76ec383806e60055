using System.Text.Json;
using Ledger.Api.Accountability;
using Ledger.Domain.Access;
using Ledger.Tests.Fixtures;

namespace Ledger.Tests.Workflow;

/// <summary>
/// Visibility follows the inspection (issue 19): the inspected see an inspection once field work has
/// started (an unannounced one once its results are notified to them) and findings only once notified.
/// Every read that shows inspections or cases to a respondent answers as if the record were not there.
/// </summary>
public sealed class VisibilityTests(LedgerFixture fixture) : IntegrationTest(fixture)
{
    private async Task<int> Status(string url, string token) => (await Given.Get(url, token)).StatusCode;

    private async Task<string> Text(string url, string token)
    {
        var response = await Given.Get(url, token);
        Assert.True(response.StatusCode == 200, $"GET {url}: {response.StatusCode}");
        return await response.ReadAsTextAsync();
    }

    [Fact]
    public async Task A_town_does_not_see_an_inspection_planned_for_it_until_field_work_starts()
    {
        await Given.SampleRegistry();
        var id = await Given.PlannedInspection();
        var town = Given.Respondent();
        Assert.Equal(200, await Status($"/api/inspections/{id}", Fixture.Token(Roles.Reviewer)));
        Assert.Equal(404, await Status($"/api/inspections/{id}", town));
        Assert.DoesNotContain(id.ToString(), await Text("/api/inspections?year=2017", town));

        var office = Fixture.Token(Roles.InspectionOffice);
        await Scenarios.Expect(await Given.PostJson($"/api/inspections/{id}/team", new
        {
            expectedVersion = 1,
            leader = Scenarios.Person(Scenarios.LeaderUser, "王组长", unit: "czj"),
            members = new[] { Scenarios.Person(Scenarios.MemberUser, "李组员", unit: "sjj") },
        }, office), 200);
        Assert.Equal(404, await Status($"/api/inspections/{id}", town));
        await Scenarios.Expect(await Given.PostJson($"/api/inspections/{id}/fieldwork", new { expectedVersion = 2, startedOn = "2017-07-02" }, office), 200);
        Assert.Equal(200, await Status($"/api/inspections/{id}", town));
        Assert.Contains(id.ToString(), await Text("/api/inspections?year=2017", town));
    }

    [Fact]
    public async Task An_unannounced_inspection_and_its_findings_stay_hidden_from_the_town_until_it_is_notified()
    {
        await Given.SampleRegistry();
        var plan = Scenarios.PlanBody();
        plan["unannounced"] = true;
        var id = await Given.InspectionInField(plan);
        var town = Given.Respondent();
        var finding = await Given.RecordedFinding(id);

        Assert.Equal(404, await Status($"/api/inspections/{id}", town));
        Assert.DoesNotContain(id.ToString(), await Text("/api/inspections?year=2017", town));
        foreach (var url in new[] { $"/api/cases/{finding}", $"/api/cases/{finding}/history", $"/api/cases/{finding}/events.ndjson" })
            Assert.Equal(404, await Status(url, town));
        Assert.DoesNotContain(finding.ToString(), await Text("/api/cases?year=2017", town));
        // The inspection office sees both: the assertions above could fail.
        Assert.Equal(200, await Status($"/api/inspections/{id}", Fixture.Token(Roles.InspectionOffice)));
        Assert.Contains(finding.ToString(), await Text("/api/cases?year=2017", Fixture.Token(Roles.InspectionOffice)));
        var planned = await Given.GetJson($"/api/inspections/{id}");
        Assert.True(planned.GetProperty("unannounced").GetBoolean());
    }

    [Fact]
    public async Task Findings_become_visible_to_a_town_only_when_results_are_notified_to_it()
    {
        await Given.SampleRegistry();
        var r = await Given.ReportedInspection();
        var town100 = Given.Respondent();
        Assert.Equal(200, await Status($"/api/inspections/{r.Inspection}", town100));  // announced, in the field: visible
        Assert.Equal(404, await Status($"/api/cases/{r.FindingA}", town100));
        Assert.Equal(404, await Status($"/api/cases/{r.FindingA}/history", town100));
        var page = JsonDocument.Parse(await Text("/api/cases?year=2017", town100)).RootElement;
        Assert.Equal(0, page.GetProperty("total").GetInt32());
        var report = await Text($"/api/inspections/{r.Inspection}/report", town100);
        Assert.DoesNotContain(r.FindingA.ToString(), report);

        await Given.NotifiedWithDeadline(r);
        Assert.Equal(200, await Status($"/api/cases/{r.FindingA}", town100));
        page = JsonDocument.Parse(await Text("/api/cases?year=2017", town100)).RootElement;
        Assert.Equal(2, page.GetProperty("total").GetInt32());
        Assert.Contains(r.FindingA.ToString(), await Text($"/api/inspections/{r.Inspection}/report", town100));
    }

    /// <summary>
    /// Attack: the town reads its own accountability while the team's findings are recorded and reported but
    /// not yet notified to it. Its counts must not move (the office's do), and move once it is notified.
    /// </summary>
    [Fact]
    public async Task A_town_reads_no_accountability_count_of_findings_not_yet_notified_to_it()
    {
        await Given.SampleRegistry();
        var town = Given.Respondent();
        const string url = "/api/towns/440233100/accountability?year=2017";
        await Fixture.SettledAsync();
        var before = (await Given.GetWithToken<AccountabilityAnswer>(url, town)).Figures;

        var r = await Given.ReportedInspection();
        await Fixture.SettledAsync();
        var office = (await Given.Get<AccountabilityAnswer>(url, Roles.InspectionOffice)).Figures;
        Assert.Equal(2, office.Findings.Total);
        Assert.Contains(office.Villages, v => v.Records > 0);
        var early = (await Given.GetWithToken<AccountabilityAnswer>(url, town)).Figures;
        Assert.Equal(before.Findings.Total, early.Findings.Total);
        Assert.Equal(0, early.Findings.Total);
        Assert.All(early.Villages, v => Assert.Equal(0, v.Records));
        Assert.Equal(before.Rectification, early.Rectification);
        // Announced and in the field, the inspection itself is visible; its findings are not.
        Assert.Equal(r.Inspection, Assert.Single(early.Inspections).Id);

        await Given.NotifiedWithDeadline(r);
        await Fixture.SettledAsync();
        var notified = (await Given.GetWithToken<AccountabilityAnswer>(url, town)).Figures;
        Assert.Equal(2, notified.Findings.Total);
        Assert.Equal(2, notified.Rectification.Issued);
    }
}
