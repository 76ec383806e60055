using Ledger.Api.Assessment;
using Ledger.Api.Documents;
using Ledger.Api.Identification;
using Ledger.Api.Setup;
using Ledger.Domain.Access;
using Ledger.Domain.Common;
using Ledger.Domain.Documents;
using Ledger.Domain.Identification;
using Ledger.Tests.Fixtures;
using static Ledger.Tests.Fixtures.Scenarios;

namespace Ledger.Tests.Documents;

public sealed class SummaryDocumentTests(LedgerFixture fixture) : IntegrationTest(fixture)
{
    [Fact]
    public async Task The_summary_report_counts_coverage_problems_rectification_and_overdue_items_from_the_records()
    {
        var r = await Given.LoopedHistory();   // the clock is left at 2017-10-10
        var office = Fixture.Token(Roles.PovertyOffice, "扶贫办文书");
        var events = await Fixture.EventCountAsync();
        Assert.Equal(403, (await Given.PostJson("/api/documents/summaries/2017", new { }, Fixture.Token(Roles.Reviewer))).StatusCode);
        Assert.Equal(400, (await Given.PostJson("/api/documents/summaries/1999", new { }, office)).StatusCode);
        Assert.Equal(events, await Fixture.EventCountAsync());

        var issued = await Expect<IssuedAnswer>(await Given.PostJson("/api/documents/summaries/2017", new { }, office), 201);
        var format = Host.Services.GetRequiredService<CountyRules>().DocumentNumberFormat(Counties.Xinfeng, Roles.PovertyOffice);
        Assert.Equal(DocumentNumbers.Format(format, 2017, 1), issued.Number);
        var response = await Given.Get(issued.Download, Fixture.Token(Roles.Reviewer));
        var docx = new DocxText(response.Body);
        DocxText.KeepSample("summary", response.Body);
        Assert.Equal("关于2017年脱贫攻坚督查工作情况的汇总报告", docx.Paragraphs.Single(p => p.StartsWith("关于")));
        Assert.True(docx.Has("全年开展督查1次，其中综合督查1次、专项督查0次"));
        Assert.True(docx.Has("综合督查覆盖镇（街道）2个（共7个）"));
        Assert.True(docx.Has("共发现问题3个，其中严重0个、较重1个、一般2个"));
        Assert.True(docx.Has("下达整改要求3项，已整改销号2项，整改率66.7%；其中逾期完成1项；逾期未完成1项："));
        Assert.True(docx.Has("1. 黄磜镇：贫困户识别公示期不足7天，整改要求：补齐挂钩帮扶台账，期限2017年9月30日，逾期10天。"));
        var towns = docx.Paragraphs.SkipWhile(p => p != "（二）按镇（单位）分").Skip(1).Take(6).ToList();
        Assert.Equal(["镇（单位）", "问题数", "黄磜镇", "2", "马头镇", "1"], towns);
        Assert.Contains("2017年10月10日", docx.Paragraphs);

        var meta = await Expect<DocumentSummary>(await Given.Send(HttpMethod.Get, issued.Download, Fixture.Token(Roles.Reviewer),
            headers: new Dictionary<string, string> { ["Accept"] = "application/json" }), 200);
        Assert.Equal((DocumentKind.SummaryReport, Roles.PovertyOffice), (meta.Kind, meta.IssuingOffice));
        // Addressed to the county leadership: not to the towns it names.
        Assert.Equal(404, (await Given.Get(issued.Download, Given.Respondent())).StatusCode);
        _ = r;
    }

    [Fact]
    public async Task The_summary_report_gives_each_towns_accuracy_rates_and_the_assessment_reference_as_the_api_computes_them()
    {
        await Given.SampleRegistry();
        await Given.EnrolledHousehold("A", size: 4);
        await Given.EnrolledHousehold("B", size: 3);
        var exitA = await Given.OpenDecision(HouseholdDecision("A", DecisionKind.Exit));
        var exitB = await Given.OpenDecision(HouseholdDecision("B", DecisionKind.Exit));
        var inspection = await Given.InspectionInField(PlanBody(towns: ["440233100"], units: [], areas: [4]));
        foreach (var (decision, verdict) in new[] { (exitA, ReviewVerdict.Correct), (exitB, ReviewVerdict.WronglyExited) })
            await Expect(await Given.Post($"/api/inspections/{inspection}/identification-reviews",
                new ReviewIdentification(decision, null, null, null, null, verdict, "复核", null, null, null, null), Given.Inspector()), 201);
        await Expect(await Given.Post($"/api/inspections/{inspection}/approval-surveys",
            new RecordApprovalSurvey("440233100", null, 100, 95, null), Given.Inspector()), 201);

        var response = await Given.Send(HttpMethod.Get, "/api/documents/summaries/2017/draft", Fixture.Token(Roles.Reviewer),
            headers: new Dictionary<string, string> { ["Accept"] = DocxRenderer.MediaType });
        Assert.Equal(200, response.StatusCode);
        var docx = new DocxText(response.Body);

        // 三率一度 of the town, as the accuracy module answers them: 3 of 7 exited people wrongly exited, 95 of 100 approve.
        var figures = (await Given.Get<AccuracyAnswer>("/api/towns/440233100/accuracy?year=2017")).Figures;
        var accuracy = docx.Paragraphs.SkipWhile(p => p != "群众认可度").Skip(1).Take(6).ToList();
        Assert.Equal(["黄磜镇", "2", "42.86%（未达标）", "—", "—", "95.00%（达标）"], accuracy);
        Assert.Equal(["黄磜镇", figures.Reviews.ToString(), SummaryDocument.RateCell(figures.WrongExit), SummaryDocument.RateCell(figures.Missed),
            SummaryDocument.RateCell(figures.WrongEnrolment), SummaryDocument.RateCell(figures.PublicApproval)], accuracy);
        Assert.True(docx.Has("有复核或测评数据的镇（街道）1个，全部达标0个；其余6个镇（街道）无数据。"));
        Assert.True(docx.Has("错退率低于2%、漏评率低于2%、错评率低于2%、群众认可度90%以上"));

        // The assessment reference: every town's row as the ranking route answers it, in its order.
        var ranking = await Given.Get<AssessmentList>("/api/assessments/2017/towns");
        var cells = docx.Paragraphs.SkipWhile(p => p != "计分基础").Skip(1).Take(6 * ranking.Scores.Count).ToList();
        Assert.Equal(ranking.Scores.Select(s => (IEnumerable<string>)[s.Rank?.ToString() ?? "—", SummaryDocument.ScoreCell(s.Rank is null ? null : s.Score),
            SummaryDocument.ScoreCell(s.Scaled), s.Grade, s.Basis]).SelectMany(x => x),
            cells.Where((_, i) => i % 6 != 1));
        var town = ranking.Scores.Single(s => s.Code == "440233100");
        Assert.NotNull(town.Scaled);
        Assert.Equal(["1", "黄磜镇"], cells.Take(2));
        Assert.Contains(ranking.Scores, s => s.Grade == "无数据");
        Assert.Equal(ranking.Scores.Count(s => s.Grade == "无数据"), cells.Chunk(6).Count(row => row[2] == "无数据" && row[4] == "无数据" && row[5] == "无数据"));
    }
}
