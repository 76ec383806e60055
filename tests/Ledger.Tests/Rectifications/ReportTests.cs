using Ledger.Domain.Access;
using System.Text;
using Ledger.Api.Reports;
using Ledger.Domain.Inspections;
using Ledger.Domain.Reports;
using Ledger.Projections.Inspections;
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
        await Expect(await Given.Post($"/api/findings/{withdrawn}/withdrawal", new WithdrawFinding(1, "误记"), Given.Inspector()), 200);
        foreach (var (arrived, irregular) in new[] { (100000.50m, true), (20000m, false) })
            await Expect(await Given.Post($"/api/inspections/{id}/funding-checks", new RecordFundingCheck(
                "f", FundSourceLevel.County, "p", "440233101", null, null, 150000m, arrived, 10000m, null,
                irregular ? [FundIrregularity.Diverted] : [], null, null, null, InspectionMethod.DocumentReview, null, null, null),
                Given.Inspector()), 201);

        var draft = await Given.Get<ReportDraft>($"/api/inspections/{id}/report/draft", Roles.InspectionOffice);
        Assert.Equal(4, draft.Records);
        Assert.Equal(3, draft.ProblemCount);
        var groups = draft.Groups;
        Assert.Equal(2, groups.Count);
        var identification = groups[0];
        Assert.Equal("精准识别、精准退出", identification.AreaLabel);
        Assert.Equal("440233100", identification.TownCode);
        Assert.Equal((2, 0, 1, 1), (identification.Count, identification.Minor, identification.Serious, identification.Grave));
        Assert.Equal("440233101", groups[1].TownCode);
        var funding = draft.Funding;
        Assert.Equal(2, funding.Checks);
        Assert.Equal(120000.50m, funding.Arrived);
        Assert.Equal(20000m, funding.Spent);
        var diverted = Assert.Single(funding.Irregularities);
        Assert.Equal(("挪用", 1, 100000.50m), (diverted.Label, diverted.Checks, diverted.Arrived));
        Assert.Contains("发现问题3个", draft.Situation);
    }

    [Fact]
    public async Task The_leader_submits_the_report_and_it_reads_back_as_json_and_markdown()
    {
        await Given.SampleRegistry();
        var reported = await Given.ReportedInspection();

        var inspection = await Given.Get<InspectionView>($"/api/inspections/{reported.Inspection}");
        Assert.Equal(InspectionStatus.ReportSubmitted, inspection.Status);
        var report = await Given.Get<InspectionReportSubmitted>($"/api/inspections/{reported.Inspection}/report");
        Assert.Equal(3, report.Problems.Count);
        Assert.Equal(LeaderUser, report.SubmittedBy);
        Assert.Equal("限期整改，举一反三", report.Opinions);

        var markdown = await Given.Send(HttpMethod.Get, $"/api/inspections/{reported.Inspection}/report", Fixture.Token(Roles.Reviewer),
            headers: new Dictionary<string, string> { ["Accept"] = "text/markdown" });
        Assert.Equal(200, markdown.StatusCode);
        Assert.Equal("text/markdown", markdown.ContentType);
        var text = Encoding.UTF8.GetString(markdown.Body);
        // The 督查报告's own rendering: names in the body, codes and case ids only in the annex, dated the day the leader gave.
        var document = Encoding.UTF8.GetString((await Given.Send(HttpMethod.Get, $"/api/inspections/{reported.Inspection}/report/document/draft?redHeader=false",
            Fixture.Token(Roles.Reviewer), headers: new Dictionary<string, string> { ["Accept"] = "text/markdown" })).Body);
        Assert.Equal(document, text);
        Assert.StartsWith("# 关于2017年综合督查情况的报告", text);
        Assert.Contains("## 三、存在问题", text);
        var (body, annex) = (text[..text.IndexOf("## 附件：", StringComparison.Ordinal)], text[text.IndexOf("## 附件：", StringComparison.Ordinal)..]);
        Assert.Contains("黄磜镇", body);
        Assert.DoesNotContain("440233100", body);
        Assert.DoesNotContain(reported.FindingA.ToString(), body);
        Assert.Contains("| 黄磜镇 | 440233100 |", annex);
        Assert.Contains(reported.FindingA.ToString(), annex);
        Assert.Contains("加强资金监管", body);
        Assert.Contains(OfficialDocumentDate(report.ReportedOn ?? report.SubmittedOn), body);
    }

    [Fact]
    public async Task Only_the_leader_reports_once_about_this_inspections_problems()
    {
        await Given.SampleRegistry();
        Fixture.Clock.SetToday(new DateOnly(2017, 7, 10));
        var id = await Given.InspectionInField();
        var finding = await Given.RecordedFinding(id);
        var before = await Fixture.EventCountAsync();
        static SubmitReport Body(Guid caseId) => new(3, "s", [new ReportProblem(caseId, "x")], "o", null);

        await Expect(await Given.Post($"/api/inspections/{id}/report", Body(finding), Given.Inspector(MemberUser)), 403);
        var foreign = await Expect(await Given.Post($"/api/inspections/{id}/report", Body(Guid.NewGuid()), Given.Inspector()), 400);
        Assert.Contains("not a record of this inspection", foreign.GetProperty("detail").GetString());
        Assert.Equal(before, await Fixture.EventCountAsync());

        await Expect(await Given.Post($"/api/inspections/{id}/report", Body(finding), Given.Inspector()), 200);
        await Expect(await Given.Post($"/api/inspections/{id}/report",
            new SubmitReport(4, "s", null, "o", null), Given.Inspector()), 409);
        // Records are final in the field only.
        await Expect(await Given.PostJson($"/api/inspections/{id}/findings", FindingBody(), Given.Inspector()), 409);
    }

    private static string OfficialDocumentDate(DateOnly date) => $"{date.Year}年{date.Month}月{date.Day}日";
}
