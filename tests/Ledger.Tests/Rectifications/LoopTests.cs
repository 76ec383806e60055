using Ledger.Domain.Access;
using Ledger.Api.Auth;
using Ledger.Tests.Fixtures;
using static Ledger.Tests.Fixtures.Scenarios;

namespace Ledger.Tests.Rectifications;

public sealed class LoopTests(LedgerFixture fixture) : IntegrationTest(fixture)
{
    private string Office => Fixture.Token(Roles.PovertyOffice, "扶贫办核查员");

    [Fact]
    public async Task A_requirement_turns_through_respond_return_respond_accept_and_keeps_every_turn()
    {
        await Given.SampleRegistry();
        var r = await Given.ReportedInspection();
        await Given.NotifiedWithDeadline(r);

        var inspection = await Given.GetJson($"/api/inspections/{r.Inspection}");
        Assert.Equal("closed", inspection.GetProperty("status").GetString());
        var notices = inspection.GetProperty("notifications").EnumerateArray().ToList();
        Assert.Equal(["产业帮扶成效明显"], notices[1].GetProperty("commendations").EnumerateArray().Select(c => c.GetString()!).ToArray());

        Fixture.Clock.SetToday(new DateOnly(2017, 8, 20));
        await Given.Loop(r.FindingA, "responses", new { description = "已重新公示7天", evidence = new[] { new { title = "公示照片", kind = "photo" } } }, Given.Respondent());
        await Given.Loop(r.FindingA, "return", new { reason = "公示照片未显示日期" }, Office);
        await Given.Loop(r.FindingA, "responses", new { description = "补充带日期照片" }, Given.Respondent());
        Fixture.Clock.SetToday(new DateOnly(2017, 9, 1));
        await Given.Loop(r.FindingA, "acceptance", new { note = "核实通过" }, Office);

        var answer = await Given.GetJson($"/api/cases/{r.FindingA}");
        var requirement = answer.GetProperty("case").GetProperty("rectification");
        Assert.Equal("closed", requirement.GetProperty("stage").GetString());
        Assert.Equal("2017-09-01", requirement.GetProperty("closedOn").GetString());
        Assert.False(requirement.GetProperty("closedLate").GetBoolean());
        Assert.Equal(1, requirement.GetProperty("returns").GetInt32());
        var turns = requirement.GetProperty("turns").EnumerateArray().ToList();
        Assert.Equal(2, turns.Count);
        Assert.False(turns[0].GetProperty("accepted").GetBoolean());
        Assert.Equal("公示照片未显示日期", turns[0].GetProperty("verdictNote").GetString());
        Assert.True(turns[1].GetProperty("accepted").GetBoolean());
        Assert.Equal("resp-440233100", turns[1].GetProperty("respondedBy").GetString());
        Assert.Equal(
            ["finding_recorded", "rectification_required", "rectification_responded", "rectification_returned", "rectification_responded", "rectification_accepted"],
            answer.GetProperty("history").EnumerateArray().Select(h => h.GetProperty("type").GetString()!).ToArray());

        var board = await Given.GetJson($"/api/rectifications/{r.FindingA}");
        Assert.Equal("closed", board.GetProperty("status").GetString());
        Assert.Equal("已销号", board.GetProperty("statusLabel").GetString());
    }

    [Fact]
    public async Task The_office_may_respond_on_behalf_and_is_recorded_as_such()
    {
        await Given.SampleRegistry();
        var r = await Given.ReportedInspection();
        await Given.NotifiedWithDeadline(r);
        await Given.Loop(r.Check, "responses", new { description = "代为录入：资金已拨付项目" }, Office);
        var turn = (await Given.GetJson($"/api/cases/{r.Check}")).GetProperty("case").GetProperty("rectification").GetProperty("turns")[0];
        Assert.True(turn.GetProperty("onBehalf").GetBoolean());
        Assert.Equal("扶贫办核查员", turn.GetProperty("respondedBy").GetString());
    }

    [Fact]
    public async Task Extensions_granted_move_the_deadline_keeping_the_original_and_denied_ones_do_not()
    {
        await Given.SampleRegistry();
        var r = await Given.ReportedInspection();
        await Given.NotifiedWithDeadline(r);

        await Given.Loop(r.FindingB, "extension-requests", new { requestedDeadline = "2017-10-31", reason = "台账需逐户核对" }, Given.Respondent());
        await Given.Loop(r.FindingB, "extension-requests", new { requestedDeadline = "2017-11-30", reason = "again" }, Given.Respondent(), 409);
        await Given.Loop(r.FindingB, "extension-decision", new { granted = true, reason = "理由充分" }, Office);
        var board = await Given.GetJson($"/api/rectifications/{r.FindingB}");
        Assert.Equal("2017-09-30", board.GetProperty("originalDeadline").GetString());
        Assert.Equal("2017-10-31", board.GetProperty("deadline").GetString());

        await Given.Loop(r.FindingB, "extension-requests", new { requestedDeadline = "2017-12-31", reason = "再延" }, Given.Respondent());
        await Given.Loop(r.FindingB, "extension-decision", new { granted = false }, Office, 400);
        await Given.Loop(r.FindingB, "extension-decision", new { granted = false, reason = "已延期一次" }, Office);
        board = await Given.GetJson($"/api/rectifications/{r.FindingB}");
        Assert.Equal("2017-10-31", board.GetProperty("deadline").GetString());
        var extensions = (await Given.GetJson($"/api/cases/{r.FindingB}")).GetProperty("case").GetProperty("rectification").GetProperty("extensions");
        Assert.Equal([true, false], extensions.EnumerateArray().Select(e => e.GetProperty("granted").GetBoolean()).ToArray());

        await Given.Loop(r.FindingB, "extension-decision", new { granted = true }, Office, 409);
    }

    [Fact]
    public async Task Every_refusal_is_a_problem_and_appends_nothing()
    {
        await Given.SampleRegistry();
        var r = await Given.ReportedInspection();

        // Notification: no deadline before the notification date; requirements only for the recipient's own cases.
        var before = await Fixture.EventCountAsync();
        Fixture.Clock.SetToday(new DateOnly(2017, 8, 1));
        var early = await Given.PostJson($"/api/inspections/{r.Inspection}/notifications", new
        {
            expectedVersion = 4, notifiedOn = "2017-08-01",
            recipients = new[] { new { town = "440233100", summary = "s", requirements = new[] { new { @case = r.FindingA, action = "a", deadline = "2017-07-31" } } } },
        }, Fixture.Token(Roles.InspectionOffice));
        Assert.Contains("before the notification date", (await Expect(early, 409)).GetProperty("detail").GetString());
        var wrongTown = await Given.PostJson($"/api/inspections/{r.Inspection}/notifications", new
        {
            expectedVersion = 4,
            recipients = new[] { new { town = "440233101", summary = "s", requirements = new[] { new { @case = r.FindingA, action = "a", deadline = "2017-09-30" } } } },
        }, Fixture.Token(Roles.InspectionOffice));
        await Expect(wrongTown, 400);
        Assert.Equal(before, await Fixture.EventCountAsync());

        await Given.NotifiedWithDeadline(r);
        before = await Fixture.EventCountAsync();
        await Given.Loop(r.FindingA, "acceptance", new { note = "x" }, Office, 409);                       // acceptance without a response
        await Given.Loop(r.FindingA, "return", new { reason = "x" }, Office, 409);                         // nothing to return
        await Given.Loop(r.FindingA, "extension-decision", new { granted = true }, Office, 409);           // never asked
        await Given.Loop(r.FindingA, "responses", new { description = "d" }, Given.Respondent("440233101"), 403);
        await Given.Loop(r.FindingA, "responses", new { description = "d" }, Fixture.Token(Roles.Reviewer), 403);
        await Given.Loop(r.FindingA, "acceptance", new { note = "x" }, Given.Respondent(), 403);
        Assert.Equal(404, (await Given.PostJson($"/api/rectifications/{Guid.NewGuid()}/responses", new { expectedVersion = 1, description = "d" }, Given.Respondent())).StatusCode);
        Assert.Equal(before, await Fixture.EventCountAsync());

        await Given.Loop(r.FindingA, "responses", new { description = "d" }, Given.Respondent());
        await Given.Loop(r.FindingA, "acceptance", new { }, Office);
        before = await Fixture.EventCountAsync();
        await Given.Loop(r.FindingA, "responses", new { description = "late" }, Given.Respondent(), 409);   // response to a closed requirement
        await Given.Loop(r.FindingA, "extension-requests", new { requestedDeadline = "2017-12-31", reason = "r" }, Given.Respondent(), 409);
        Assert.Equal(before, await Fixture.EventCountAsync());
    }

    [Fact]
    public async Task The_colour_follows_the_clock()
    {
        await Given.SampleRegistry();
        var r = await Given.ReportedInspection();
        await Given.NotifiedWithDeadline(r);

        async Task<string> StatusOn(string day)
        {
            Fixture.Clock.SetToday(DateOnly.Parse(day));
            return (await Given.GetJson($"/api/rectifications/{r.FindingA}")).GetProperty("status").GetString()!;
        }
        Assert.Equal("on-track", await StatusOn("2017-09-26"));
        Assert.Equal("due-soon", await StatusOn("2017-09-27"));
        Assert.Equal("due-soon", await StatusOn("2017-09-30"));
        Assert.Equal("overdue", await StatusOn("2017-10-01"));
        var red = await Given.GetJson("/api/rectifications?status=overdue&town=440233100");
        Assert.Equal(2, red.GetArrayLength());

        await Given.Loop(r.FindingA, "responses", new { description = "d" }, Given.Respondent());
        await Given.Loop(r.FindingA, "acceptance", new { }, Office);
        Assert.Equal("closed", await StatusOn("2017-10-02"));
        var late = await Given.GetJson($"/api/rectifications/{r.FindingA}");
        Assert.True(late.GetProperty("closedLate").GetBoolean());
    }

    [Fact]
    public async Task The_summary_matches_a_hand_count()
    {
        await Given.SampleRegistry();
        var r = await Given.ReportedInspection();
        await Given.NotifiedWithDeadline(r);

        // Town 100: A closed on time; B returned once and still open. Town 101: the check closed late.
        Fixture.Clock.SetToday(new DateOnly(2017, 9, 10));
        await Given.Loop(r.FindingA, "responses", new { description = "done" }, Given.Respondent());
        await Given.Loop(r.FindingA, "acceptance", new { }, Office);
        await Given.Loop(r.FindingB, "responses", new { description = "partly" }, Given.Respondent());
        await Given.Loop(r.FindingB, "return", new { reason = "未完成" }, Office);
        Fixture.Clock.SetToday(new DateOnly(2017, 10, 5));
        await Given.Loop(r.Check, "responses", new { description = "资金已使用" }, Given.Respondent("440233101"));
        await Given.Loop(r.Check, "acceptance", new { }, Office);

        var summary = await Given.GetJson("/api/rectification-summary?year=2017");
        var towns = summary.GetProperty("towns").EnumerateArray().ToDictionary(t => t.GetProperty("responsible").GetString()!);
        int[] Figures(System.Text.Json.JsonElement t) =>
            new[] { "issued", "closedOnTime", "closedLate", "open", "overdue", "returnedAtLeastOnce" }.Select(n => t.GetProperty(n).GetInt32()).ToArray();
        Assert.Equal([2, 1, 0, 1, 1, 1], Figures(towns["440233100"]));
        Assert.Equal([1, 0, 1, 0, 0, 0], Figures(towns["440233101"]));
        Assert.Equal([3, 1, 1, 1, 1, 1], Figures(summary.GetProperty("total")));
        Assert.Equal(0, summary.GetProperty("units").GetArrayLength());
        Assert.Equal(0, (await Given.GetJson("/api/rectification-summary?year=2018")).GetProperty("total").GetProperty("issued").GetInt32());
        Assert.Equal(403, (await Given.Get("/api/rectification-summary?year=2017", Given.Respondent())).StatusCode);
    }
}
