using Ledger.Api.Cases;
using Ledger.Api.Rectifications;
using Ledger.Domain.Access;
using Ledger.Domain.Inspections;
using Ledger.Domain.Rectifications;
using Ledger.Projections.Inspections;
using Ledger.Tests.Fixtures;
using static Ledger.Tests.Fixtures.Scenarios;

namespace Ledger.Tests.Rectifications;

public sealed class LoopTests(LedgerFixture fixture) : IntegrationTest(fixture)
{
    private string Office => Fixture.Token(Roles.PovertyOffice, "扶贫办核查员");

    private static RespondToRectification Response(string description, params Evidence[] evidence) =>
        new(null, description, evidence.Length == 0 ? null : evidence, null);
    private static AcceptRectification Acceptance(string? note = null) => new(null, note, null);
    private static ReturnRectification Return(string reason) => new(null, reason);
    private static RequestExtension ExtensionRequest(string deadline, string reason) => new(null, DateOnly.Parse(deadline), reason);
    private static DecideExtension ExtensionDecision(bool granted, string? reason = null) => new(null, granted, reason);

    private async Task<Reported> Notified()
    {
        await Given.SampleRegistry();
        var r = await Given.ReportedInspection();
        await Given.NotifiedWithDeadline(r);
        return r;
    }

    [Fact]
    public async Task Notifying_the_results_closes_the_inspection_and_keeps_its_commendations()
    {
        var r = await Notified();

        var inspection = await Given.Get<InspectionView>($"/api/inspections/{r.Inspection}");
        Assert.Equal(InspectionStatus.Closed, inspection.Status);
        var notices = inspection.Notifications!;
        Assert.Equal(["产业帮扶成效明显"], notices[1].Commendations.ToArray());
    }

    [Fact]
    public async Task A_requirement_turns_through_respond_return_respond_accept_and_keeps_every_turn()
    {
        var r = await Notified();

        Fixture.Clock.SetToday(new DateOnly(2017, 8, 20));
        await Given.Loop(r.FindingA, "responses", Response("已重新公示7天", new Evidence("公示照片", EvidenceKind.Photo, null)), Given.Respondent());
        await Given.Loop(r.FindingA, "return", Return("公示照片未显示日期"), Office);
        await Given.Loop(r.FindingA, "responses", Response("补充带日期照片"), Given.Respondent());
        Fixture.Clock.SetToday(new DateOnly(2017, 9, 1));
        await Given.Loop(r.FindingA, "acceptance", Acceptance("核实通过"), Office);

        var answer = await Given.Get<CaseAnswer>($"/api/cases/{r.FindingA}");
        var requirement = answer.Case.Rectification!;
        Assert.Equal(RectificationStage.Closed, requirement.Stage);
        Assert.Equal(new DateOnly(2017, 9, 1), requirement.ClosedOn);
        Assert.False(requirement.ClosedLate);
        Assert.Equal(1, requirement.Returns);
        var turns = requirement.Turns;
        Assert.Equal(2, turns.Count);
        Assert.False(turns[0].Accepted!.Value);
        Assert.Equal("公示照片未显示日期", turns[0].VerdictNote);
        Assert.True(turns[1].Accepted!.Value);
        Assert.Equal("resp-440233100", turns[1].RespondedBy);
        Assert.Equal(
            ["finding_recorded", "rectification_required", "rectification_responded", "rectification_returned", "rectification_responded", "rectification_accepted"],
            answer.History.Select(h => h.Type).ToArray());

        var board = await Given.Get<BoardEntry>($"/api/rectifications/{r.FindingA}");
        Assert.Equal(RectificationStatus.Closed, board.Status);
        Assert.Equal("已销号", board.StatusLabel);
    }

    [Fact]
    public async Task The_office_may_respond_on_behalf_and_is_recorded_as_such()
    {
        var r = await Notified();
        await Given.Loop(r.Check, "responses", Response("代为录入：资金已拨付项目"), Office);
        var turn = (await Given.Get<CaseAnswer>($"/api/cases/{r.Check}")).Case.Rectification!.Turns[0];
        Assert.True(turn.OnBehalf);
        Assert.Equal("扶贫办核查员", turn.RespondedBy);
    }

    [Fact]
    public async Task Extensions_granted_move_the_deadline_keeping_the_original_and_denied_ones_do_not()
    {
        var r = await Notified();

        await Given.Loop(r.FindingB, "extension-requests", ExtensionRequest("2017-10-31", "台账需逐户核对"), Given.Respondent());
        await Given.Loop(r.FindingB, "extension-requests", ExtensionRequest("2017-11-30", "again"), Given.Respondent(), 409);
        await Given.Loop(r.FindingB, "extension-decision", ExtensionDecision(true, "理由充分"), Office);
        var board = await Given.Get<BoardEntry>($"/api/rectifications/{r.FindingB}");
        Assert.Equal(new DateOnly(2017, 9, 30), board.OriginalDeadline);
        Assert.Equal(new DateOnly(2017, 10, 31), board.Deadline);

        await Given.Loop(r.FindingB, "extension-requests", ExtensionRequest("2017-12-31", "再延"), Given.Respondent());
        await Given.Loop(r.FindingB, "extension-decision", ExtensionDecision(false), Office, 400);
        await Given.Loop(r.FindingB, "extension-decision", ExtensionDecision(false, "已延期一次"), Office);
        board = await Given.Get<BoardEntry>($"/api/rectifications/{r.FindingB}");
        Assert.Equal(new DateOnly(2017, 10, 31), board.Deadline);
        var extensions = (await Given.Get<CaseAnswer>($"/api/cases/{r.FindingB}")).Case.Rectification!.Extensions;
        Assert.Equal([true, false], extensions.Select(e => e.Granted!.Value).ToArray());

        await Given.Loop(r.FindingB, "extension-decision", ExtensionDecision(true, "同意"), Office, 409);
    }

    [Fact]
    public async Task A_notification_with_a_deadline_before_it_or_a_requirement_on_another_towns_case_is_refused_and_appends_nothing()
    {
        await Given.SampleRegistry();
        var r = await Given.ReportedInspection();

        var before = await Fixture.EventCountAsync();
        Fixture.Clock.SetToday(new DateOnly(2017, 8, 1));
        var early = await Given.Post($"/api/inspections/{r.Inspection}/notifications", new NotifyResults(4, new DateOnly(2017, 8, 1),
            [new RecipientInput("440233100", null, "s", null, [new RequirementInput(r.FindingA, "a", new DateOnly(2017, 7, 31))],
                [new NotRequiredInput(r.FindingB, "已当场整改")])]),
            Fixture.Token(Roles.InspectionOffice));
        Assert.Contains("before the notification date", (await Expect(early, 409)).GetProperty("detail").GetString());
        var wrongTown = await Given.Post($"/api/inspections/{r.Inspection}/notifications", new NotifyResults(4, null,
            [new RecipientInput("440233101", null, "s", null, [new RequirementInput(r.FindingA, "a", new DateOnly(2017, 9, 30))])]),
            Fixture.Token(Roles.InspectionOffice));
        await Expect(wrongTown, 400);
        Assert.Equal(before, await Fixture.EventCountAsync());
    }

    [Fact]
    public async Task Loop_steps_out_of_turn_or_by_the_wrong_caller_are_refused_and_append_nothing()
    {
        var r = await Notified();
        var before = await Fixture.EventCountAsync();
        await Given.Loop(r.FindingA, "acceptance", Acceptance("x"), Office, 409);                       // acceptance without a response
        await Given.Loop(r.FindingA, "return", Return("x"), Office, 409);                               // nothing to return
        await Given.Loop(r.FindingA, "extension-decision", ExtensionDecision(true, "同意"), Office, 409);        // never asked
        await Given.Loop(r.FindingA, "responses", Response("d"), Given.Respondent("town:440233101"), 404);   // another town's: as if absent
        await Given.Loop(r.FindingA, "responses", Response("d"), Fixture.Token(Roles.Reviewer), 403);
        await Given.Loop(r.FindingA, "acceptance", Acceptance("x"), Given.Respondent(), 403);
        Assert.Equal(404, (await Given.Post($"/api/rectifications/{Guid.NewGuid()}/responses", new RespondToRectification(1, "d", null, null), Given.Respondent())).StatusCode);
        Assert.Equal(before, await Fixture.EventCountAsync());
    }

    [Fact]
    public async Task A_closed_requirement_takes_no_response_nor_extension_request_and_appends_nothing()
    {
        var r = await Notified();
        await Given.Loop(r.FindingA, "responses", Response("d"), Given.Respondent());
        await Given.Loop(r.FindingA, "acceptance", Acceptance(), Office);
        var before = await Fixture.EventCountAsync();
        await Given.Loop(r.FindingA, "responses", Response("late"), Given.Respondent(), 409);   // response to a closed requirement
        await Given.Loop(r.FindingA, "extension-requests", ExtensionRequest("2017-12-31", "r"), Given.Respondent(), 409);
        Assert.Equal(before, await Fixture.EventCountAsync());
    }

    [Fact]
    public async Task The_colour_follows_the_clock()
    {
        var r = await Notified();

        async Task<RectificationStatus> StatusOn(string day)
        {
            Fixture.Clock.SetToday(DateOnly.Parse(day));
            return (await Given.Get<BoardEntry>($"/api/rectifications/{r.FindingA}")).Status;
        }
        Assert.Equal(RectificationStatus.OnTrack, await StatusOn("2017-09-26"));
        Assert.Equal(RectificationStatus.DueSoon, await StatusOn("2017-09-27"));
        Assert.Equal(RectificationStatus.DueSoon, await StatusOn("2017-09-30"));
        Assert.Equal(RectificationStatus.Overdue, await StatusOn("2017-10-01"));
        var red = await Given.Get<List<BoardEntry>>("/api/rectifications?status=overdue&town=440233100");
        Assert.Equal(2, red.Count);

        await Given.Loop(r.FindingA, "responses", Response("d"), Given.Respondent());
        await Given.Loop(r.FindingA, "acceptance", Acceptance(), Office);
        Assert.Equal(RectificationStatus.Closed, await StatusOn("2017-10-02"));
        var late = await Given.Get<BoardEntry>($"/api/rectifications/{r.FindingA}");
        Assert.True(late.ClosedLate);
    }

    [Fact]
    public async Task The_summary_matches_a_hand_count()
    {
        var r = await Notified();

        // Town 100: A closed on time; B returned once and still open. Town 101: the check closed late.
        Fixture.Clock.SetToday(new DateOnly(2017, 9, 10));
        await Given.Loop(r.FindingA, "responses", Response("done"), Given.Respondent());
        await Given.Loop(r.FindingA, "acceptance", Acceptance(), Office);
        await Given.Loop(r.FindingB, "responses", Response("partly"), Given.Respondent());
        await Given.Loop(r.FindingB, "return", Return("未完成"), Office);
        Fixture.Clock.SetToday(new DateOnly(2017, 10, 5));
        await Given.Loop(r.Check, "responses", Response("资金已使用"), Given.Respondent("town:440233101"));
        await Given.Loop(r.Check, "acceptance", Acceptance(), Office);

        var summary = await Given.Get<RectificationSummary>("/api/rectification-summary?year=2017");
        var towns = summary.Towns.ToDictionary(t => t.Responsible);
        static int[] Figures(RectificationTally t) => [t.Issued, t.ClosedOnTime, t.ClosedLate, t.Open, t.Overdue, t.ReturnedAtLeastOnce];
        Assert.Equal([2, 1, 0, 1, 1, 1], Figures(towns["440233100"]));
        Assert.Equal([1, 0, 1, 0, 0, 0], Figures(towns["440233101"]));
        Assert.Equal([3, 1, 1, 1, 1, 1], Figures(summary.Total));
        Assert.Empty(summary.Units);
        Assert.Equal(0, (await Given.Get<RectificationSummary>("/api/rectification-summary?year=2018")).Total.Issued);
        Assert.Equal(403, (await Given.Get("/api/rectification-summary?year=2017", Given.Respondent())).StatusCode);
    }
}
