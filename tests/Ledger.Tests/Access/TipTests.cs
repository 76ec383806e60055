using Ledger.Domain.Access;
using System.Net;
using System.Text;
using Alba;
using Ledger.Api.Tips;
using Ledger.Api.Writes;
using Ledger.Domain.Inspections;
using Ledger.Domain.Rectifications;
using Ledger.Domain.Reports;
using Ledger.Domain.Tips;
using Ledger.Tests.Fixtures;
using static Ledger.Tests.Fixtures.Scenarios;

namespace Ledger.Tests.Access;

public sealed class TipTests(LedgerFixture fixture) : IntegrationTest(fixture)
{
    private const string Contact = "13800138000 王举报人";

    [Fact]
    public async Task A_tip_is_followed_from_submission_to_finding_to_rectification_and_its_contact_never_leaks()
    {
        await Given.SampleRegistry();
        Fixture.Clock.SetToday(new DateOnly(2017, 7, 10));

        // Anonymous submission: a receipt, nothing else.
        var submitted = await Expect<TipReceipt>(await Given.Post("/api/tips",
            new SubmitTip(null, "村干部挪用危房改造补助", null, "440233100203", Contact), token: null), 201);
        var receipt = submitted.Receipt;
        Assert.StartsWith("440233-", receipt);
        async Task<TipStatus> Status() => (await Expect<TipState>(await Given.Post("/api/tips/status", new TipStatusQuery(receipt), null), 200)).Status;
        Assert.Equal(TipStatus.Received, await Status());

        // The poverty office sees the contact; nobody else sees the tip at all.
        var tips = await Given.Get<List<TipForHandler>>("/api/tips", Roles.PovertyOffice);
        var tip = Assert.Single(tips);
        Assert.Equal(Contact, tip.Contact);
        Assert.Equal("440233100", tip.TownCode);
        var tipId = tip.Id;
        Assert.Equal(403, (await Given.Get("/api/tips", Fixture.Token(Roles.Reviewer))).StatusCode);
        Assert.Equal(403, (await Given.Get($"/api/tips/{tipId}", Fixture.Token(Roles.InspectionOffice))).StatusCode);

        // Linked to an inspection; its team records a finding from it (method 群众举报).
        var inspection = await Given.InspectionInField();
        await Expect(await Given.Post($"/api/tips/{tipId}/link", new LinkTip(1, inspection), Fixture.Token(Roles.PovertyOffice)), 200);
        Assert.Equal(TipStatus.Linked, await Status());
        await Expect(await Given.Post($"/api/inspections/{inspection}/findings",
            new RecordFinding("440233100", null, "440233100203", 7, InspectionMethod.Symposium, "查实挪用", Severity.Grave, null, null, tipId),
            Given.Inspector()), 400);
        var recorded = await Expect<WriteAnswer>(await Given.Post($"/api/inspections/{inspection}/findings",
            new RecordFinding("440233100", null, "440233100203", 7, InspectionMethod.PublicReport, "查实：挪用危房改造补助2万元", Severity.Grave,
                null, new DateOnly(2017, 7, 5), tipId), Given.Inspector()), 201);
        var caseId = recorded.Id;
        Assert.Equal(TipStatus.FindingRecorded, await Status());

        // Through report, notification and rectification.
        await Expect(await Given.Post($"/api/inspections/{inspection}/report",
            new SubmitReport(3, "s", [new ReportProblem(caseId, "挪用")], "o", null), Given.Inspector()), 200);
        Fixture.Clock.SetToday(new DateOnly(2017, 8, 1));
        await Expect(await Given.Post($"/api/inspections/{inspection}/notifications", new NotifyResults(4, null,
            [new RecipientInput("440233100", null, "s", null, [new RequirementInput(caseId, "追回资金", new DateOnly(2017, 9, 30))])]),
            Fixture.Token(Roles.InspectionOffice)), 200);
        await Given.Loop(caseId, "responses", new RespondToRectification(null, "已追回", null, null), Given.Respondent());
        await Given.Loop(caseId, "acceptance", new AcceptRectification(null, null, null), Fixture.Token(Roles.PovertyOffice));
        var finalAnswer = await Expect(await Given.Post("/api/tips/status", new TipStatusQuery(receipt), null), 200);
        Assert.True(ApiJson.Read<TipState>(finalAnswer).Rectified);
        // What a tipster sees is exactly these fields, by name.
        var final = finalAnswer;
        Assert.Equal(["receipt", "status", "statusLabel", "receivedOn", "rectified"], final.EnumerateObject().Select(p => p.Name).ToArray());

        // The contact appears nowhere else: events, documents, history, lists, exports.
        await Fixture.SettledAsync();
        await using var connection = Fixture.Store.Storage.Database.CreateConnection();
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "select (select count(*) from ledger.mt_events where data::text like '%13800138000%') + " +
                              "(select count(*) from ledger.mt_doc_tip where data::text like '%13800138000%')";
        Assert.Equal(0L, (long)(await command.ExecuteScalarAsync())!);
        foreach (var url in new[] { $"/api/cases/{caseId}", $"/api/cases/{caseId}/history", $"/api/cases/{caseId}/events.ndjson",
                     "/api/cases", "/api/rectifications", "/api/towns/440233100/events.ndjson", "/api/villages/440233100203/profile",
                     "/api/towns/440233100/accountability?year=2017", "/api/cases/export.xlsx" })
        {
            var body = Encoding.UTF8.GetString((await Given.Get(url, Fixture.Token(Roles.Reviewer))).Body);
            Assert.DoesNotContain("13800138000", body);
            Assert.DoesNotContain("王举报人", body);
        }
    }

    [Fact]
    public async Task A_tip_can_be_dismissed_and_the_receipt_shows_nothing_but_the_state()
    {
        await Given.SampleRegistry();
        var receipt = (await Expect<TipReceipt>(await Given.Post("/api/tips", new SubmitTip(null, "帮扶干部不作为", null, null, null), null), 201)).Receipt;
        var tipId = (await Given.Get<List<TipForHandler>>("/api/tips", Roles.PovertyOffice))[0].Id;
        await Expect(await Given.Post($"/api/tips/{tipId}/dismissal", new DismissTip(1, null), Fixture.Token(Roles.PovertyOffice)), 400);
        await Expect(await Given.Post($"/api/tips/{tipId}/dismissal", new DismissTip(1, "经核查不属实"), Fixture.Token(Roles.PovertyOffice)), 200);
        await Expect(await Given.Post($"/api/tips/{tipId}/dismissal", new DismissTip(2, "again"), Fixture.Token(Roles.PovertyOffice)), 409);
        var state = await Expect<TipState>(await Given.Post("/api/tips/status", new TipStatusQuery(receipt.ToLowerInvariant()), null), 200);
        Assert.Equal(TipStatus.Dismissed, state.Status);
        Assert.Equal(404, (await Given.Post("/api/tips/status", new TipStatusQuery("440233-AAAA-BBBB-CCCC-DDDD"), null)).StatusCode);
        Assert.Equal(404, (await Given.Post("/api/tips/status", new TipStatusQuery("nonsense"), null)).StatusCode);
        Assert.Equal(404, (await Given.PostJson("/api/tips/status", new { }, null)).StatusCode);
    }

    [Fact]
    public async Task A_receipt_is_looked_up_only_in_a_POST_body_and_never_appears_in_a_URL()
    {
        await Given.SampleRegistry();
        var submitted = await Given.Post("/api/tips", new SubmitTip(null, "低保评定不公", null, null, null), null);
        var receipt = (await Expect<TipReceipt>(submitted, 201)).Receipt;
        // The answer's Location names no receipt: proxies and access logs keep URLs.
        Assert.Equal("/api/tips/status", submitted.Location);
        Assert.Equal(TipStatus.Received, (await Expect<TipState>(await Given.Post("/api/tips/status", new TipStatusQuery(receipt), null), 200)).Status);
        // The query-string form is gone: it answers no tip's state.
        var viaUrl = await Given.Get($"/api/tips/status?receipt={receipt}", null);
        Assert.NotEqual(200, viaUrl.StatusCode);
        Assert.DoesNotContain(TipStatus.Received.ToString(), await viaUrl.ReadAsTextAsync(), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Oversized_and_too_frequent_tips_are_refused_and_nothing_is_stored()
    {
        await Given.SampleRegistry();
        var before = await Fixture.EventCountAsync();
        var huge = await Given.PostJson("/api/tips", new { description = new string('x', 20_000) }, null);
        Assert.Equal(413, huge.StatusCode);
        Assert.Equal("application/problem+json", huge.ContentType);

        var statuses = new List<int>();
        for (var i = 0; i < LedgerFixture.PublicPermitsPerMinute + 5; i++)
        {
            var result = await Host.Scenario(s =>
            {
                s.ConfigureHttpContext(c => c.Connection.RemoteIpAddress = IPAddress.Parse("198.51.100.7"));
                s.Post.Json(new { description = "" }).ToUrl("/api/tips");
                s.IgnoreStatusCode();
            });
            statuses.Add(result.Context.Response.StatusCode);
        }
        Assert.Equal(LedgerFixture.PublicPermitsPerMinute, statuses.Count(s => s == 400));
        Assert.Equal(5, statuses.Count(s => s == 429));
        Assert.Equal(before, await Fixture.EventCountAsync());
    }

    [Fact]
    public async Task Identical_tips_sent_at_once_with_one_idempotency_key_are_recorded_once()
    {
        await Given.SampleRegistry();
        var before = await Fixture.EventCountAsync();
        var headers = new Dictionary<string, string> { [Idempotency.Header] = "tip-" + Guid.NewGuid() };
        var body = new SubmitTip(null, "同一举报重复提交", null, "440233100203", Contact);
        var answers = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Given.Post("/api/tips", body, null, headers)));

        Assert.Equal(before + 1, await Fixture.EventCountAsync());
        Assert.Single(await Given.Get<List<TipForHandler>>("/api/tips", Roles.PovertyOffice));
        Assert.Contains(answers, a => a.StatusCode == 201);
        Assert.All(answers, a => Assert.Contains(a.StatusCode, new[] { 201, 409 }));
        // Without a key, two people reporting the same thing are two reports.
        await Expect(await Given.Post("/api/tips", body, null), 201);
        Assert.Equal(before + 2, await Fixture.EventCountAsync());
    }
}
