using Ledger.Domain.Access;
using System.Net;
using System.Text;
using Alba;
using Ledger.Api.Auth;
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
        var submitted = await Expect(await Given.PostJson("/api/tips", new
        {
            description = "村干部挪用危房改造补助", village = "440233100203", contact = Contact,
        }, token: null), 201);
        var receipt = submitted.GetProperty("receipt").GetString()!;
        Assert.StartsWith("440233-", receipt);
        async Task<string> Status() => (await Expect(await Given.Get($"/api/tips/status?receipt={receipt}", null), 200))
            .GetProperty("status").GetString()!;
        Assert.Equal("received", await Status());

        // The poverty office sees the contact; nobody else sees the tip at all.
        var tips = await Given.GetJson("/api/tips", Roles.PovertyOffice);
        var tip = Assert.Single(tips.EnumerateArray());
        Assert.Equal(Contact, tip.GetProperty("contact").GetString());
        Assert.Equal("440233100", tip.GetProperty("townCode").GetString());
        var tipId = tip.GetProperty("id").GetGuid();
        Assert.Equal(403, (await Given.Get("/api/tips", Fixture.Token(Roles.Reviewer))).StatusCode);
        Assert.Equal(403, (await Given.Get($"/api/tips/{tipId}", Fixture.Token(Roles.InspectionOffice))).StatusCode);

        // Linked to an inspection; its team records a finding from it (method 群众举报).
        var inspection = await Given.InspectionInField();
        await Expect(await Given.PostJson($"/api/tips/{tipId}/link", new { expectedVersion = 1, inspection }, Fixture.Token(Roles.PovertyOffice)), 200);
        Assert.Equal("linked", await Status());
        await Expect(await Given.PostJson($"/api/inspections/{inspection}/findings",
            new { town = "440233100", village = "440233100203", area = 7, method = "symposium", severity = "grave", description = "查实挪用", tip = tipId },
            Given.Inspector()), 400);
        var caseId = await Given.RecordedFinding(inspection, new
        {
            town = "440233100", village = "440233100203", area = 7, method = "public-report", severity = "grave",
            description = "查实：挪用危房改造补助2万元", observedOn = "2017-07-05", tip = tipId,
        });
        Assert.Equal("finding-recorded", await Status());

        // Through report, notification and rectification.
        await Expect(await Given.PostJson($"/api/inspections/{inspection}/report", new
        {
            expectedVersion = 3, situation = "s", opinions = "o", problems = new[] { new { caseId, summary = "挪用" } },
        }, Given.Inspector()), 200);
        Fixture.Clock.SetToday(new DateOnly(2017, 8, 1));
        await Expect(await Given.PostJson($"/api/inspections/{inspection}/notifications", new
        {
            expectedVersion = 4,
            recipients = new[] { new { town = "440233100", summary = "s", requirements = new[] { new { @case = caseId, action = "追回资金", deadline = "2017-09-30" } } } },
        }, Fixture.Token(Roles.InspectionOffice)), 200);
        await Given.Loop(caseId, "responses", new { description = "已追回" }, Given.Respondent());
        await Given.Loop(caseId, "acceptance", new { }, Fixture.Token(Roles.PovertyOffice));
        var final = await Expect(await Given.Get($"/api/tips/status?receipt={receipt}", null), 200);
        Assert.True(final.GetProperty("rectified").GetBoolean());
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
        var receipt = (await Expect(await Given.PostJson("/api/tips", new { description = "帮扶干部不作为" }, null), 201)).GetProperty("receipt").GetString()!;
        var tipId = (await Given.GetJson("/api/tips", Roles.PovertyOffice))[0].GetProperty("id").GetGuid();
        await Expect(await Given.PostJson($"/api/tips/{tipId}/dismissal", new { expectedVersion = 1 }, Fixture.Token(Roles.PovertyOffice)), 400);
        await Expect(await Given.PostJson($"/api/tips/{tipId}/dismissal", new { expectedVersion = 1, reason = "经核查不属实" }, Fixture.Token(Roles.PovertyOffice)), 200);
        await Expect(await Given.PostJson($"/api/tips/{tipId}/dismissal", new { expectedVersion = 2, reason = "again" }, Fixture.Token(Roles.PovertyOffice)), 409);
        var state = await Expect(await Given.Get($"/api/tips/status?receipt={receipt.ToLowerInvariant()}", null), 200);
        Assert.Equal("dismissed", state.GetProperty("status").GetString());
        Assert.Equal(404, (await Given.Get("/api/tips/status?receipt=440233-AAAA-BBBB-CCCC-DDDD", null)).StatusCode);
        Assert.Equal(404, (await Given.Get("/api/tips/status?receipt=nonsense", null)).StatusCode);
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
}
