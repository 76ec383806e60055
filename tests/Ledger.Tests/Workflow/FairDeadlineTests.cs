using Ledger.Api.Rectifications;
using Ledger.Domain.Access;
using Ledger.Domain.Inspections;
using Ledger.Domain.Rectifications;
using Ledger.Projections.Inspections;
using Ledger.Tests.Fixtures;

namespace Ledger.Tests.Workflow;

/// <summary>
/// Fair deadlines, separation of duties and who issues what (issue 19), through the API. Requirements
/// are notified on 2017-08-01 with the deadline 2017-09-30 (<see cref="Scenarios.NotifiedWithDeadline"/>).
/// </summary>
public sealed class FairDeadlineTests(LedgerFixture fixture) : IntegrationTest(fixture)
{
    private string Verifier => Fixture.Token(Roles.PovertyOffice, "扶贫办核查员");
    private string Clerk => Fixture.Token(Roles.PovertyOffice, "扶贫办代录员");

    private async Task<Scenarios.Reported> Notified()
    {
        await Given.SampleRegistry();
        var r = await Given.ReportedInspection();
        await Given.NotifiedWithDeadline(r);
        return r;
    }

    private async Task<BoardEntry> Entry(Guid id) => await Given.Get<BoardEntry>($"/api/rectifications/{id}");

    private void Today(int month, int day) => Fixture.Clock.SetToday(new DateOnly(2017, month, day));

    [Fact]
    public async Task A_response_in_time_awaiting_verification_is_not_red_and_is_judged_by_its_own_date()
    {
        var r = await Notified();
        Today(9, 28);
        await Given.Loop(r.FindingA, "responses", new { description = "已重新公示" }, Given.Respondent());
        Today(10, 10);
        var waiting = await Entry(r.FindingA);
        Assert.Equal(RectificationStatus.AwaitingVerification, waiting.Status);
        Assert.Equal("待核实", waiting.StatusLabel);
        Assert.Equal(RectificationStatus.Overdue, (await Entry(r.FindingB)).Status);   // no response: red
        var awaiting = await Given.Get<List<BoardEntry>>("/api/rectifications?status=awaiting-verification");
        Assert.Equal(r.FindingA, Assert.Single(awaiting).CaseId);

        // The office's own lateness: 12 days waiting, more than the default 5.
        var lateness = await Given.Get<VerificationLateness>("/api/rectifications/verification-lateness");
        var late = Assert.Single(lateness.Items);
        Assert.Equal((r.FindingA, 12, 5), (late.Requirement.CaseId, late.DaysWaiting, lateness.VerificationDays));
        var summary = await Given.Get<RectificationSummary>("/api/rectification-summary?year=2017");
        Assert.Equal((1, 1, 2), (summary.Total.AwaitingVerification, summary.Total.VerificationLate, summary.Total.Overdue));   // finding B and the check are red

        // Accepted ten days after the deadline, the response in time counts: closed on time.
        await Given.Loop(r.FindingA, "acceptance", new { }, Verifier);
        var closed = await Entry(r.FindingA);
        Assert.Equal((RectificationStage.Closed, false), (closed.Stage, closed.ClosedLate));
        summary = await Given.Get<RectificationSummary>("/api/rectification-summary?year=2017");
        Assert.Equal((1, 0, 0), (summary.Total.ClosedOnTime, summary.Total.ClosedLate, summary.Total.VerificationLate));
        Assert.Empty((await Given.Get<VerificationLateness>("/api/rectifications/verification-lateness")).Items);
    }

    [Fact]
    public async Task A_granted_extension_asked_after_the_deadline_is_flagged_and_the_original_deadline_still_counts()
    {
        var r = await Notified();
        Today(10, 5);
        await Given.Loop(r.FindingB, "extension-requests", new { requestedDeadline = "2017-10-31", reason = "雨季施工" }, Given.Respondent());
        await Given.Loop(r.FindingB, "extension-decision", new { granted = true, reason = "确因雨季" }, Verifier);
        Assert.Equal(new DateOnly(2017, 10, 31), (await Entry(r.FindingB)).Deadline);
        var history = await Given.GetJson($"/api/cases/{r.FindingB}/history");
        var asked = history.EnumerateArray().Single(l => l.GetProperty("type").GetString() == "rectification_extension_requested");
        Assert.True(asked.GetProperty("data").GetProperty("afterDeadline").GetBoolean());

        Today(10, 20);
        await Given.Loop(r.FindingB, "responses", new { description = "已补齐台账" }, Given.Respondent());
        await Given.Loop(r.FindingB, "acceptance", new { }, Verifier);
        Assert.True((await Entry(r.FindingB)).ClosedLate);   // before the new deadline, after the one that counts
    }

    [Fact]
    public async Task Back_dated_responses_and_acceptances_are_bounded_and_refused_with_nothing_appended()
    {
        var r = await Notified();
        Today(9, 20);
        var before = await Fixture.EventCountAsync();
        await Given.Loop(r.FindingA, "responses", new { description = "x", respondedOn = "2017-09-10" }, Given.Respondent(), 400);
        Assert.Equal(before, await Fixture.EventCountAsync());
        await Given.Loop(r.FindingA, "responses", new { description = "已重新公示", respondedOn = "2017-09-15" }, Given.Respondent());
        before = await Fixture.EventCountAsync();
        await Given.Loop(r.FindingA, "acceptance", new { acceptedOn = "2017-09-14" }, Verifier, 400);   // before the response
        Assert.Equal(before, await Fixture.EventCountAsync());
    }

    [Fact]
    public async Task Whoever_responds_on_behalf_cannot_accept_and_whoever_asks_cannot_grant_and_a_grant_needs_a_reason()
    {
        var r = await Notified();
        Today(9, 10);
        await Given.Loop(r.FindingA, "responses", new { description = "代为反馈" }, Clerk);
        var before = await Fixture.EventCountAsync();
        await Given.Loop(r.FindingA, "acceptance", new { }, Clerk, 403);
        Assert.Equal(before, await Fixture.EventCountAsync());
        await Given.Loop(r.FindingA, "acceptance", new { }, Verifier);

        await Given.Loop(r.FindingB, "extension-requests", new { requestedDeadline = "2017-10-31", reason = "代为申请" }, Clerk);
        before = await Fixture.EventCountAsync();
        await Given.Loop(r.FindingB, "extension-decision", new { granted = true, reason = "同意" }, Clerk, 403);
        await Given.Loop(r.FindingB, "extension-decision", new { granted = true }, Verifier, 400);
        Assert.Equal(before, await Fixture.EventCountAsync());
        await Given.Loop(r.FindingB, "extension-decision", new { granted = true, reason = "同意" }, Verifier);
    }

    [Fact]
    public async Task Either_office_plans_and_notifies_and_the_events_record_who_issued_them_on_whose_behalf()
    {
        await Given.SampleRegistry();
        Today(6, 1);
        var id = await Scenarios.Expect(await Given.PostJson("/api/inspections", Scenarios.PlanBody(), Fixture.Token(Roles.PovertyOffice, "扶贫办主任")), 201);
        var planned = await Given.Get<InspectionView>($"/api/inspections/{id.GetProperty("id").GetGuid()}");
        Assert.Equal(Roles.PovertyOffice, planned.PlannedBy);
        var r = await Given.ReportedInspection();
        Fixture.Clock.SetToday(new DateOnly(2017, 8, 1));
        await Scenarios.Expect(await Given.PostJson($"/api/inspections/{r.Inspection}/notifications", new
        {
            expectedVersion = 4,
            recipients = new object[]
            {
                new
                {
                    town = "440233100", summary = "存在问题", commendations = new[] { "产业帮扶成效明显" },
                    requirements = new[] { new { @case = r.FindingA, action = "重新公示", deadline = "2017-09-30" } },
                    notRequired = new[] { new { @case = r.FindingB, reason = "检查时已当场整改" } },
                },
            },
        }, Fixture.Token(Roles.PovertyOffice, "扶贫办主任")), 200);
        var notice = Assert.Single((await Given.Get<InspectionView>($"/api/inspections/{r.Inspection}")).Notifications!);
        Assert.Equal(("扶贫办主任", Roles.PovertyOffice, Issuing.LeadingGroup), (notice.IssuedBy, notice.IssuingOffice, notice.OnBehalfOf));
        var history = await Given.GetJson($"/api/cases/{r.FindingA}/history");
        var required = history.EnumerateArray().Single(l => l.GetProperty("type").GetString() == "rectification_required").GetProperty("data");
        Assert.Equal("扶贫办主任", required.GetProperty("issuedBy").GetString());
        Assert.Equal(Issuing.LeadingGroup, required.GetProperty("onBehalfOf").GetString());
    }
}
