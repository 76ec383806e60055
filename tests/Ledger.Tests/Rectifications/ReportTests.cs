using Ledger.Domain.Access;
using System.Text;
using Ledger.Api.Auth;
using Ledger.Tests.Fixtures;
using static Ledger.Tests.Fixtures.Scenarios;

namespace Ledger.Tests.Rectifications;

public sealed class ReportTests(LedgerFixture fixture) : IntegrationTest(fixture)
{
    [Fact]
    public async Task The_draft_groups_findings_by_area_and_town_and_sums_the_funds()
    {
        await Given.SampleRegistry();
        Fixture.Clock.SetToday(new DateOnly(2017, 7, 10));
        var id = await Given.InspectionInField();
        await Given.RecordedFinding(id, FindingBody(area: 4, severity: "serious"));
        await Given.RecordedFinding(id, FindingBody(village: "440233100203", area: 4, severity: "grave"));
        var withdrawn = await Given.RecordedFinding(id, FindingBody(area: 1));
        await Expect(await Given.PostJson($"/api/findings/{withdrawn}/withdrawal", new { expectedVersion = 1, reason = "误记" }, Given.Inspector()), 200);
        foreach (var (arrived, irregular) in new[] { (100000.50m, true), (20000m, false) })
            await Expect(await Given.PostJson($"/api/inspections/{id}/funding-checks", new
            {
                fund = "f", sourceLevel = "county", project = "p", town = "440233101", allocated = 150000m, arrived, spent = 10000m,
                irregularities = irregular ? new[] { "diverted" } : [], method = "document-review",
            }, Given.Inspector()), 201);

        var draft = await Given.GetJson($"/api/inspections/{id}/report/draft", Roles.InspectionOffice);
        Assert.Equal(4, draft.GetProperty("records").GetInt32());
        Assert.Equal(3, draft.GetProperty("problemCount").GetInt32());
        var groups = draft.GetProperty("groups").EnumerateArray().ToList();
        Assert.Equal(2, groups.Count);
        var identification = groups[0];
        Assert.Equal("精准识别、精准退出", identification.GetProperty("areaLabel").GetString());
        Assert.Equal("440233100", identification.GetProperty("townCode").GetString());
        Assert.Equal((2, 0, 1, 1), (identification.GetProperty("count").GetInt32(), identification.GetProperty("minor").GetInt32(),
            identification.GetProperty("serious").GetInt32(), identification.GetProperty("grave").GetInt32()));
        Assert.Equal("440233101", groups[1].GetProperty("townCode").GetString());
        var funding = draft.GetProperty("funding");
        Assert.Equal(2, funding.GetProperty("checks").GetInt32());
        Assert.Equal(120000.50m, funding.GetProperty("arrived").GetDecimal());
        Assert.Equal(20000m, funding.GetProperty("spent").GetDecimal());
        var diverted = Assert.Single(funding.GetProperty("irregularities").EnumerateArray());
        Assert.Equal(("挪用", 1, 100000.50m), (diverted.GetProperty("label").GetString(), diverted.GetProperty("checks").GetInt32(), diverted.GetProperty("arrived").GetDecimal()));
        Assert.Contains("发现问题3个", draft.GetProperty("situation").GetString());
    }

    [Fact]
    public async Task The_leader_submits_the_report_and_it_reads_back_as_json_and_markdown()
    {
        await Given.SampleRegistry();
        var reported = await Given.ReportedInspection();

        var inspection = await Given.GetJson($"/api/inspections/{reported.Inspection}");
        Assert.Equal("report-submitted", inspection.GetProperty("status").GetString());
        var report = await Given.GetJson($"/api/inspections/{reported.Inspection}/report");
        Assert.Equal(3, report.GetProperty("problems").GetArrayLength());
        Assert.Equal(LeaderUser, report.GetProperty("submittedBy").GetString());
        Assert.Equal("限期整改，举一反三", report.GetProperty("opinions").GetString());

        var markdown = await Given.Send(HttpMethod.Get, $"/api/inspections/{reported.Inspection}/report", Fixture.Token(Roles.Reviewer),
            headers: new Dictionary<string, string> { ["Accept"] = "text/markdown" });
        Assert.Equal(200, markdown.StatusCode);
        Assert.Equal("text/markdown", markdown.ContentType);
        var text = Encoding.UTF8.GetString(markdown.Body);
        Assert.StartsWith("# 2017年综合督查情况报告", text);
        Assert.Contains("## 二、存在问题", text);
        Assert.Contains(reported.FindingA.ToString(), text);
        Assert.Contains("加强资金监管", text);
    }

    [Fact]
    public async Task Only_the_leader_reports_once_about_this_inspections_problems()
    {
        await Given.SampleRegistry();
        Fixture.Clock.SetToday(new DateOnly(2017, 7, 10));
        var id = await Given.InspectionInField();
        var finding = await Given.RecordedFinding(id);
        var before = await Fixture.EventCountAsync();
        object Body(Guid caseId) => new { expectedVersion = 3, situation = "s", opinions = "o", problems = new[] { new { caseId, summary = "x" } } };

        await Expect(await Given.PostJson($"/api/inspections/{id}/report", Body(finding), Given.Inspector(MemberUser)), 403);
        var foreign = await Expect(await Given.PostJson($"/api/inspections/{id}/report", Body(Guid.NewGuid()), Given.Inspector()), 400);
        Assert.Contains("not a record of this inspection", foreign.GetProperty("detail").GetString());
        Assert.Equal(before, await Fixture.EventCountAsync());

        await Expect(await Given.PostJson($"/api/inspections/{id}/report", Body(finding), Given.Inspector()), 200);
        await Expect(await Given.PostJson($"/api/inspections/{id}/report",
            new { expectedVersion = 4, situation = "s", opinions = "o" }, Given.Inspector()), 409);
        // Records are final in the field only.
        await Expect(await Given.PostJson($"/api/inspections/{id}/findings", FindingBody(), Given.Inspector()), 409);
    }
}
