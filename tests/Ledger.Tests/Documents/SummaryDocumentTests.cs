using Ledger.Api.Documents;
using Ledger.Api.Setup;
using Ledger.Domain.Access;
using Ledger.Domain.Common;
using Ledger.Domain.Documents;
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
}
