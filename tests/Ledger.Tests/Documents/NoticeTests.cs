using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text.Json;
using Ledger.Api.Documents;
using Ledger.Api.Setup;
using Ledger.Domain.Access;
using Ledger.Domain.Common;
using Ledger.Domain.Documents;
using Ledger.Domain.Rectifications;
using Ledger.Tests.Fixtures;
using static Ledger.Tests.Fixtures.Scenarios;

namespace Ledger.Tests.Documents;

public sealed class NoticeTests(LedgerFixture fixture) : IntegrationTest(fixture)
{
    private string InspectionOffice => Fixture.Token(Roles.InspectionOffice, "督查室文书");
    private string PovertyOffice => Fixture.Token(Roles.PovertyOffice, "扶贫办核查员");
    private static readonly Dictionary<string, string> AsJson = new() { ["Accept"] = "application/json" };

    private string NumberFor(string office, int year, int serial) => DocumentNumbers.Format(
        Host.Services.GetRequiredService<CountyRules>().DocumentNumberFormat(Counties.Xinfeng, office), year, serial);

    private async Task<Reported> Notified()
    {
        await Given.SampleRegistry();
        var r = await Given.ReportedInspection();
        await Given.NotifiedWithDeadline(r);
        return r;
    }

    private async Task<IssuedAnswer> Issue(object body, string? token = null) =>
        await Expect<IssuedAnswer>(await Given.PostJson("/api/documents/notices", body, token ?? InspectionOffice), 201);

    private async Task<byte[]> Download(string url, string? token = null)
    {
        var response = await Given.Get(url, token ?? Fixture.Token(Roles.Reviewer));
        Assert.Equal(200, response.StatusCode);
        Assert.Equal(DocxRenderer.MediaType, response.ContentType);
        return response.Body;
    }

    [Fact]
    public async Task A_notice_names_towns_problems_requirements_deadlines_and_commendations_as_the_records_hold_them()
    {
        var r = await Notified();
        var issued = await Issue(new { inspections = new[] { r.Inspection }, rankings = true });
        Assert.Equal(NumberFor(Roles.InspectionOffice, 2017, 1), issued.Number);
        Assert.Equal(1, issued.Serial);

        var bytes = await Download(issued.Download);
        Assert.Equal(issued.Sha256, Convert.ToHexStringLower(SHA256.HashData(bytes)));
        var docx = new DocxText(bytes);
        DocxText.KeepSample("notice", bytes);
        Assert.True(docx.A4);
        Assert.Contains(docx.Paragraphs, p => p == issued.Number);
        Assert.Equal(DocxRenderer.TitleFont, docx.FontOf("关于2017年综合督查情况的通报"));
        Assert.Equal("FF0000", docx.ColorOf("县委督查室"));
        Assert.Contains("PAGE", docx.Footer);
        Assert.Contains(docx.Paragraphs, p => p == "黄磜镇、马头镇：");
        Assert.True(docx.Has("（一）黄磜镇") && docx.Has("（二）马头镇"));
        Assert.True(docx.Has("马头镇（产业帮扶成效明显）"));

        // Every requirement, as its case holds it: the finding's words, the action and the deadline.
        foreach (var caseId in new[] { r.FindingA, r.FindingB, r.Check })
        {
            var view = (await Given.GetJson($"/api/cases/{caseId}")).GetProperty("case");
            var rectification = view.GetProperty("rectification");
            var deadline = DateOnly.Parse(rectification.GetProperty("deadline").GetString()!);
            var line = Assert.Single(docx.Paragraphs, p => p.Contains(rectification.GetProperty("action").GetString()!));
            Assert.Contains(view.GetProperty("description").GetString()!.TrimEnd('。'), line);
            Assert.Contains($"整改期限：{deadline.Year}年{deadline.Month}月{deadline.Day}日前", line);
        }
        Assert.Contains("黄磜示例村01（占位名）：", Assert.Single(docx.Paragraphs, p => p.Contains("重新履行公示程序")));   // villages by name
        Assert.Contains("黄磜示例村02（占位名）：", Assert.Single(docx.Paragraphs, p => p.Contains("补齐挂钩帮扶台账")));
        Assert.DoesNotContain("440233", docx.All);   // names, not statistics codes

        // The ranking table: town 101 has one problem, town 100 two.
        var rows = docx.Paragraphs.SkipWhile(p => p != "名次").ToList();
        Assert.Equal(["名次", "镇（单位）", "问题数", "其中严重、较重", "1", "马头镇", "1", "0", "2", "黄磜镇", "2", "1"], rows.Take(12));

        // The event froze the same text that the Markdown download gives, with the hash and the size.
        var meta = await Expect<DocumentSummary>(await Given.Send(HttpMethod.Get, issued.Download, Fixture.Token(Roles.Reviewer), headers: AsJson), 200);
        Assert.Equal((issued.Sha256, (long)bytes.Length, DocumentKind.Notice), (meta.Sha256, meta.Size, meta.Kind));
        var text = await (await Given.Send(HttpMethod.Get, issued.Download, Fixture.Token(Roles.Reviewer),
            headers: new Dictionary<string, string> { ["Accept"] = "text/markdown" })).ReadAsTextAsync();
        Assert.Contains(issued.Number, text);
        Assert.Contains("重新履行公示程序", text);
    }

    [Fact]
    public async Task An_issued_notice_downloads_byte_for_byte_the_same_after_the_records_change_while_the_draft_follows_them()
    {
        var r = await Notified();
        var issued = await Issue(new { inspections = new[] { r.Inspection } });
        var before = await Download(issued.Download);

        await Given.Loop(r.FindingB, "extension-requests", new RequestExtension(null, new DateOnly(2017, 10, 31), "台账需逐户核对"), Given.Respondent());
        await Given.Loop(r.FindingB, "extension-decision", new DecideExtension(null, true, "理由充分"), PovertyOffice);
        Fixture.Clock.SetToday(new DateOnly(2017, 11, 2));

        var draft = await Given.GetJson($"/api/documents/notices/draft?inspections={r.Inspection}", Roles.InspectionOffice);
        Assert.Contains("2017年10月31日", draft.GetProperty("text").GetString());
        Assert.Equal(before, await Download(issued.Download));
        Assert.Equal(before, await Download($"/api/documents/{Uri.EscapeDataString(issued.Number)}"));
        Assert.DoesNotContain("2017年10月31日", new DocxText(before).All);
        Assert.Contains("2017年9月30日", new DocxText(before).All);

        // The inspected town reads what is addressed to it; a town it is not addressed to does not.
        Assert.Equal(before, await Download(issued.Download, Given.Respondent("town:440233100")));
        Assert.Equal(404, (await Given.Get(issued.Download, Given.Respondent("town:440233102"))).StatusCode);
    }

    [Fact]
    public async Task Concurrent_issues_take_numbers_one_to_n_without_gaps_or_repeats_per_office_and_year()
    {
        var r = await Notified();
        const int n = 12;
        var answers = await Task.WhenAll(Enumerable.Range(0, n).Select(_ =>
            Given.PostJson("/api/documents/notices", new { inspections = new[] { r.Inspection } }, InspectionOffice)));
        Assert.All(answers, a => Assert.Equal(201, a.StatusCode));
        var serials = answers.Select(a => ApiJson.Read<IssuedAnswer>(a).Serial).Order().ToList();
        Assert.Equal(Enumerable.Range(1, n), serials);
        Assert.Equal(n, answers.Select(a => ApiJson.Read<IssuedAnswer>(a).Number).Distinct().Count());

        // The other office keeps its own register.
        var other = await Issue(new { inspections = new[] { r.Inspection } }, PovertyOffice);
        Assert.Equal(NumberFor(Roles.PovertyOffice, 2017, 1), other.Number);
        var list = await Given.Get<List<DocumentSummary>>("/api/documents");
        Assert.Equal(n + 1, list.Count);
    }

    [Fact]
    public async Task A_correction_is_a_new_numbered_document_citing_the_one_it_corrects()
    {
        var r = await Notified();
        var first = await Issue(new { inspections = new[] { r.Inspection } });
        var correction = await Issue(new
        {
            inspections = new[] { r.Inspection }, title = "关于2017年综合督查情况的通报（更正）", corrects = first.Id, correctionReason = "排名表遗漏",
            rankings = true,
        });
        Assert.Equal(NumberFor(Roles.InspectionOffice, 2017, 2), correction.Number);
        var docx = new DocxText(await Download(correction.Download));
        Assert.True(docx.Has($"本文件更正《关于2017年综合督查情况的通报》（{first.Number}），更正理由：排名表遗漏"));
        var meta = await Expect<DocumentSummary>(await Given.Send(HttpMethod.Get, correction.Download, Fixture.Token(Roles.Reviewer), headers: AsJson), 200);
        Assert.Equal((first.Id, first.Number), (meta.Corrects, meta.CorrectsNumber));
    }

    [Fact]
    public async Task Refused_issues_append_nothing_and_take_no_number()
    {
        var r = await Notified();
        var notNotified = await Given.InspectionInField();
        var events = await Fixture.EventCountAsync();

        Assert.Equal(403, (await Given.PostJson("/api/documents/notices", new { inspections = new[] { r.Inspection } }, Fixture.Token(Roles.Reviewer))).StatusCode);
        Assert.Equal(403, (await Given.PostJson("/api/documents/notices", new { inspections = new[] { r.Inspection } }, Given.Respondent())).StatusCode);
        Assert.Equal(400, (await Given.PostJson("/api/documents/notices", new { inspections = Array.Empty<Guid>() }, InspectionOffice)).StatusCode);
        Assert.Equal(404, (await Given.PostJson("/api/documents/notices", new { inspections = new[] { Guid.NewGuid() } }, InspectionOffice)).StatusCode);
        Assert.Equal(409, (await Given.PostJson("/api/documents/notices", new { inspections = new[] { notNotified } }, InspectionOffice)).StatusCode);
        Assert.Equal(404, (await Given.PostJson("/api/documents/notices",
            new { inspections = new[] { r.Inspection }, corrects = Guid.NewGuid(), correctionReason = "x" }, InspectionOffice)).StatusCode);
        Assert.Equal(400, (await Given.PostJson("/api/documents/notices",
            new { inspections = new[] { r.Inspection }, corrects = Guid.NewGuid() }, InspectionOffice)).StatusCode);
        Assert.Equal(400, (await Given.PostJson("/api/documents/notices", new { inspections = new[] { r.Inspection }, title = "  " }, InspectionOffice)).StatusCode);
        Assert.Equal(events, await Fixture.EventCountAsync());

        // The next accepted issue is number 1: the refusals took none.
        Assert.Equal(1, (await Issue(new { inspections = new[] { r.Inspection } })).Serial);
        // Another county's documents are not found.
        var issued = (await Given.Get<List<DocumentSummary>>("/api/documents"))[0];
        Assert.Equal(404, (await Given.Get($"/api/documents/{issued.Id}", Fixture.Token(Roles.Reviewer, county: "440229"))).StatusCode);
    }
}
