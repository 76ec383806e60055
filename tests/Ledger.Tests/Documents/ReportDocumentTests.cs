using Ledger.Api.Documents;
using Ledger.Api.Reports;
using Ledger.Api.Setup;
using Ledger.Domain.Access;
using Ledger.Domain.Common;
using Ledger.Domain.Documents;
using Ledger.Domain.Inspections;
using Ledger.Domain.Reports;
using Ledger.Tests.Fixtures;
using static Ledger.Tests.Fixtures.Scenarios;

namespace Ledger.Tests.Documents;

public sealed class ReportDocumentTests(LedgerFixture fixture) : IntegrationTest(fixture)
{
    private string InspectionOffice => Fixture.Token(Roles.InspectionOffice, "督查室文书");

    /// <summary>An inspection of towns 100 and 101 and unit wt-100 with two findings, reported by the leader, dated 2017-07-08.</summary>
    private async Task<(Guid Inspection, Guid A, Guid B)> Reported()
    {
        await Given.SampleRegistry();
        Fixture.Clock.SetToday(new DateOnly(2017, 7, 10));
        var id = await Given.InspectionInField();
        var a = await Given.RecordedFinding(id, FindingBody(area: 4, severity: "serious"));
        var b = await Given.RecordedFinding(id, FindingBody(town: "440233101", village: "440233101201", area: 1, severity: "minor", method: "document-review"));
        var draft = await Given.Get<ReportDraft>($"/api/inspections/{id}/report/draft", Roles.InspectionOffice);
        Assert.Contains("黄磜镇、马头镇、驻黄磜镇工作组", draft.Situation);   // the draft names, too
        Assert.DoesNotContain("440233", draft.Situation + string.Concat(draft.Problems.Select(p => p.Summary)));

        var before = await Fixture.EventCountAsync();
        Assert.Equal(400, (await Given.Post($"/api/inspections/{id}/report",
            new SubmitReport(3, draft.Situation, draft.Problems, "限期整改", null, new DateOnly(2017, 7, 11)), Given.Inspector())).StatusCode);
        Assert.Equal(before, await Fixture.EventCountAsync());
        await Expect(await Given.Post($"/api/inspections/{id}/report",
            new SubmitReport(3, draft.Situation, draft.Problems, "限期整改，举一反三", "加强资金监管", new DateOnly(2017, 7, 8), "采取暗访与座谈相结合的方式，压实镇村责任。"),
            Given.Inspector()), 200);
        return (id, a, b);
    }

    [Fact]
    public async Task The_report_document_has_the_standard_structure_names_the_team_and_places_and_is_dated_by_the_leader()
    {
        var (id, a, b) = await Reported();
        Fixture.Clock.SetToday(new DateOnly(2017, 7, 20));
        var issued = await Expect<IssuedAnswer>(await Given.PostJson($"/api/inspections/{id}/report/document", new { }, InspectionOffice), 201);
        var format = Host.Services.GetRequiredService<CountyRules>().DocumentNumberFormat(Counties.Xinfeng, Roles.InspectionOffice);
        Assert.Equal(DocumentNumbers.Format(format, 2017, 1), issued.Number);

        var response = await Given.Get(issued.Download, Fixture.Token(Roles.Reviewer));
        Assert.Equal(200, response.StatusCode);
        var docx = new DocxText(response.Body);
        DocxText.KeepSample("report", response.Body);
        var paragraphs = docx.Paragraphs.ToList();
        int At(string text) => paragraphs.FindIndex(p => p == text);
        var headings = new[] { "一、基本情况", "二、主要做法和成效", "三、存在问题", "四、意见建议" }.Select(At).ToList();
        Assert.All(headings, i => Assert.True(i > 0));
        Assert.Equal(headings.Order(), headings);
        Assert.Equal(DocxRenderer.HeadingFont, docx.FontOf("三、存在问题"));
        Assert.Contains("县委、县政府：", paragraphs);
        Assert.Contains("2017年7月8日", paragraphs);           // the leader's date, not the server's (7月10日/7月20日)
        Assert.DoesNotContain("2017年7月20日", paragraphs);
        Assert.True(docx.Has("组长：王组长（县财政局）；成员：李组员（县审计局）"));
        Assert.True(docx.Has("压实镇村责任") && docx.Has("限期整改，举一反三") && docx.Has("加强资金监管"));

        // Problems grouped by content area, in the area's order, each named by town and village.
        var main = paragraphs.Take(At("附件")).ToList();
        var identification = At($"（一）{Codes.LabelOf((ContentArea)1)}方面（1个）");
        var second = At($"（二）{Codes.LabelOf((ContentArea)4)}方面（1个）");
        Assert.True(identification > headings[2] && second > identification && headings[3] > second);
        Assert.StartsWith("1. 马头镇马头示例村01（占位名）：", paragraphs[identification + 1]);
        Assert.StartsWith("2. 黄磜镇黄磜示例村01（占位名）：贫困户识别公示期不足7天（较重）", paragraphs[second + 1]);
        Assert.DoesNotContain("440233", string.Join("\n", main));   // codes only in the annex
        var annex = string.Join("\n", paragraphs.Skip(At("附件")));
        Assert.Contains("440233100201", annex);
        Assert.Contains(a.ToString(), annex);
        Assert.Contains(b.ToString(), annex);
    }

    [Fact]
    public async Task The_report_document_is_for_the_offices_reviewers_and_team_and_needs_a_report()
    {
        await Given.SampleRegistry();
        Fixture.Clock.SetToday(new DateOnly(2017, 7, 10));
        var unreported = await Given.InspectionInField();
        var events = await Fixture.EventCountAsync();
        Assert.Equal(404, (await Given.PostJson($"/api/inspections/{unreported}/report/document", new { }, InspectionOffice)).StatusCode);
        Assert.Equal(events, await Fixture.EventCountAsync());

        var (id, _, _) = await Reported();
        events = await Fixture.EventCountAsync();
        Assert.Equal(403, (await Given.PostJson($"/api/inspections/{id}/report/document", new { }, Given.Inspector())).StatusCode);
        Assert.Equal(403, (await Given.Get($"/api/inspections/{id}/report/document/draft", Given.Respondent())).StatusCode);
        Assert.Equal(400, (await Given.PostJson($"/api/inspections/{id}/report/document", new { recipients = Array.Empty<string>() }, InspectionOffice)).StatusCode);
        Assert.Equal(events, await Fixture.EventCountAsync());

        var draft = await Given.GetJson($"/api/inspections/{id}/report/document/draft", Roles.Reviewer);
        Assert.Contains("## 三、存在问题", draft.GetProperty("text").GetString());
        var team = await Given.Send(HttpMethod.Get, $"/api/inspections/{id}/report/document/draft", Given.Inspector(),
            headers: new Dictionary<string, string> { ["Accept"] = DocxRenderer.MediaType });
        Assert.Equal(200, team.StatusCode);
        Assert.True(new DocxText(team.Body).Has("四、意见建议"));

        // Issued, the team reads it too (it is about their inspection); the inspected town does not (not addressed to it).
        var issued = await Expect<IssuedAnswer>(await Given.PostJson($"/api/inspections/{id}/report/document", new { redHeader = false }, InspectionOffice), 201);
        Assert.Equal(200, (await Given.Get(issued.Download, Given.Inspector())).StatusCode);
        Assert.Equal(404, (await Given.Get(issued.Download, Given.Respondent())).StatusCode);
    }
}
