using Ledger.Domain.Common;
using Ledger.Domain.Inspections;
using Ledger.Domain.Rectifications;
using static Ledger.Domain.Tests.Spec;

namespace Ledger.Domain.Tests.Rectifications;

/// <summary>The loop's five commands: respond, accept, return, ask for and decide an extension.</summary>
public sealed class RectificationDecisionTests
{
    private static readonly Guid CaseId = Guid.Parse("0190a000-0000-7000-8000-000000000001");
    private static readonly Guid InspectionId = Guid.Parse("0190a000-0000-7000-8000-000000000002");
    private const string Town = "440233100";
    private const string Village = "440233100201";
    private static readonly DateOnly Notified = new(2017, 8, 1);
    private static readonly DateOnly Deadline = new(2017, 8, 31);

    private static readonly FindingRecorded Found = new(CaseId, InspectionId, 2017, Town, null, Village, ContentArea.IdentificationAndExit,
        InspectionMethod.DocumentReview, "公示未满7天", Severity.Serious, [], "li.member", new DateOnly(2017, 7, 3));
    private static readonly RectificationRequired Required = new(CaseId, InspectionId, 2017, Town, null, Village, Town, null,
        "重新公示", Deadline, Notified);
    /// <summary>A poverty-office user other than the one <see cref="Spec.PovertyOffice"/> stands for.</summary>
    private static readonly Ledger.Domain.Access.Caller Verifier = PovertyOffice with { User = "扶贫办核查员" };

    private static RectificationResponded Responded(DateOnly on, string by = "resp-440233100", bool onBehalf = false) =>
        new(CaseId, InspectionId, 2017, Town, null, Village, "已重新公示", [], by, onBehalf, on);

    [Fact]
    public void The_responsible_town_responds_to_a_requirement_awaiting_its_answer() =>
        Then(new RespondToRectification(2, " 已重新公示 ", null, new DateOnly(2017, 8, 20))
                .Decide(Given<Case>(Found, Required), Respondent(Town), new DateOnly(2017, 8, 21)),
            Responded(new DateOnly(2017, 8, 20)));

    [Fact]
    public void The_poverty_office_responds_on_behalf_and_is_marked_so() =>
        Then(new RespondToRectification(2, "已重新公示", null, null).Decide(Given<Case>(Found, Required), PovertyOffice, new DateOnly(2017, 8, 21)),
            Responded(new DateOnly(2017, 8, 21), "扶贫办", onBehalf: true));

    [Fact]
    public void Another_town_may_not_respond() =>
        Refused(new RespondToRectification(2, "已重新公示", null, null).Decide(Given<Case>(Found, Required), Respondent("440233101"), Notified),
            RefusalKind.Forbidden, "only 440233100");

    [Fact]
    public void A_case_without_a_requirement_is_no_rectification() =>
        Refused(new RespondToRectification(1, "已重新公示", null, null).Decide(Given<Case>(Found), Respondent(Town), Notified),
            RefusalKind.NotFound, "has no rectification requirement");

    [Fact]
    public void A_response_is_not_dated_before_the_notification_nor_in_the_future()
    {
        var current = Given<Case>(Found, Required);
        Refused(new RespondToRectification(2, "x", null, new DateOnly(2017, 7, 31)).Decide(current, Respondent(Town), Notified),
            RefusalKind.Invalid, "before the requirement was notified");
        Refused(new RespondToRectification(2, "x", null, new DateOnly(2017, 8, 2)).Decide(current, Respondent(Town), Notified),
            RefusalKind.Invalid, "in the future");
    }

    [Fact]
    public void A_second_response_waits_for_the_verdict_on_the_first() =>
        Refused(new RespondToRectification(3, "again", null, null)
                .Decide(Given<Case>(Found, Required, Responded(new DateOnly(2017, 8, 20))), Respondent(Town), new DateOnly(2017, 8, 21)),
            RefusalKind.Conflict, "still being verified");

    [Fact]
    public void Timeliness_is_judged_by_the_date_of_the_response_accepted_not_the_acceptance()
    {
        Then(new AcceptRectification(3, "核实通过", new DateOnly(2017, 9, 2))
                .Decide(Given<Case>(Found, Required, Responded(new DateOnly(2017, 8, 30))), Verifier, new DateOnly(2017, 9, 3)),
            new RectificationAccepted(CaseId, InspectionId, 2017, Town, null, Village, "核实通过", new DateOnly(2017, 9, 2), Deadline, false,
                new DateOnly(2017, 8, 30), Verifier.User));
        Then(new AcceptRectification(3, null, new DateOnly(2017, 9, 2))
                .Decide(Given<Case>(Found, Required, Responded(new DateOnly(2017, 9, 1))), Verifier, new DateOnly(2017, 9, 3)),
            new RectificationAccepted(CaseId, InspectionId, 2017, Town, null, Village, null, new DateOnly(2017, 9, 2), Deadline, true,
                new DateOnly(2017, 9, 1), Verifier.User));
    }

    [Fact]
    public void A_granted_extension_asked_after_the_deadline_leaves_the_original_deadline_counting()
    {
        var late = new DateOnly(2017, 9, 5);
        var asked = new RectificationExtensionRequested(CaseId, InspectionId, 2017, Town, null, Village, new DateOnly(2017, 9, 30), "雨季",
            "resp-440233100", late, AfterDeadline: true);
        Then(new RequestExtension(2, new DateOnly(2017, 9, 30), "雨季").Decide(Given<Case>(Found, Required), Respondent(Town), late), asked);
        var granted = new RectificationExtensionGranted(CaseId, InspectionId, 2017, Town, null, Village, Deadline, new DateOnly(2017, 9, 30),
            "确因雨季", late, AfterDeadline: true, DecidedBy: Verifier.User);
        Then(new DecideExtension(3, true, "确因雨季").Decide(Given<Case>(Found, Required, asked), Verifier, late), granted);
        var accepted = new AcceptRectification(5, null, new DateOnly(2017, 9, 21))
            .Decide(Given<Case>(Found, Required, asked, granted, Responded(new DateOnly(2017, 9, 20))), Verifier, new DateOnly(2017, 9, 21));
        var e = Assert.IsType<RectificationAccepted>(Assert.Single(accepted.Events));
        Assert.True(e.Late);
        Assert.Equal(Deadline, e.Deadline);
        // Asked in time, the new deadline counts.
        var inTime = asked with { RequestedOn = new DateOnly(2017, 8, 25), AfterDeadline = false };
        var onTime = new AcceptRectification(5, null, new DateOnly(2017, 9, 21))
            .Decide(Given<Case>(Found, Required, inTime, granted with { AfterDeadline = false }, Responded(new DateOnly(2017, 9, 20))), Verifier,
                new DateOnly(2017, 9, 21));
        Assert.False(Assert.IsType<RectificationAccepted>(Assert.Single(onTime.Events)).Late);
    }

    [Fact]
    public void Back_dated_dates_go_back_at_most_the_county_setting_and_never_before_the_previous_step()
    {
        var settings = new RectificationSettings(3, 5);
        var current = Given<Case>(Found, Required);
        Refused(new RespondToRectification(2, "x", null, new DateOnly(2017, 8, 16)).Decide(current, Respondent(Town), new DateOnly(2017, 8, 20), settings),
            RefusalKind.Invalid, "at most 3 days");
        Then(new RespondToRectification(2, "已重新公示", null, new DateOnly(2017, 8, 17)).Decide(current, Respondent(Town), new DateOnly(2017, 8, 20), settings),
            Responded(new DateOnly(2017, 8, 17)));
        var returned = new RectificationReturned(CaseId, InspectionId, 2017, Town, null, Village, "不实", new DateOnly(2017, 8, 19));
        Refused(new RespondToRectification(4, "x", null, new DateOnly(2017, 8, 18))
                .Decide(Given<Case>(Found, Required, Responded(new DateOnly(2017, 8, 17)), returned), Respondent(Town), new DateOnly(2017, 8, 20), settings),
            RefusalKind.Invalid, "before the last step");
        Refused(new AcceptRectification(3, null, new DateOnly(2017, 8, 21))
                .Decide(Given<Case>(Found, Required, Responded(new DateOnly(2017, 8, 21))), Verifier, new DateOnly(2017, 8, 25), settings),
            RefusalKind.Invalid, "at most 3 days");
    }

    [Fact]
    public void Whoever_responded_on_behalf_cannot_accept_and_whoever_asked_cannot_grant()
    {
        var onBehalf = Given<Case>(Found, Required, Responded(new DateOnly(2017, 8, 20), PovertyOffice.User, onBehalf: true));
        Refused(new AcceptRectification(3, null, null).Decide(onBehalf, PovertyOffice, new DateOnly(2017, 8, 21)), RefusalKind.Forbidden,
            "separation of duties");
        Assert.Single(new AcceptRectification(3, null, null).Decide(onBehalf, Verifier, new DateOnly(2017, 8, 21)).Events);
        var asked = new RectificationExtensionRequested(CaseId, InspectionId, 2017, Town, null, Village, new DateOnly(2017, 9, 30), "雨季",
            PovertyOffice.User, new DateOnly(2017, 8, 25));
        Refused(new DecideExtension(3, true, "同意").Decide(Given<Case>(Found, Required, asked), PovertyOffice, new DateOnly(2017, 8, 25)),
            RefusalKind.Forbidden, "separation of duties");
        Refused(new DecideExtension(3, true, null).Decide(Given<Case>(Found, Required, asked), Verifier, new DateOnly(2017, 8, 25)),
            RefusalKind.Invalid, "reason");
    }

    [Fact]
    public void Nothing_is_accepted_or_returned_before_a_response()
    {
        var current = Given<Case>(Found, Required);
        Refused(new AcceptRectification(2, null, null).Decide(current, Verifier, Notified), RefusalKind.Conflict, "nothing to accept");
        Refused(new ReturnRectification(2, "不实").Decide(current, Notified), RefusalKind.Conflict, "nothing to send back");
    }

    [Fact]
    public void Acceptance_is_not_dated_before_the_response() =>
        Refused(new AcceptRectification(3, null, new DateOnly(2017, 8, 19))
                .Decide(Given<Case>(Found, Required, Responded(new DateOnly(2017, 8, 20))), Verifier, new DateOnly(2017, 8, 25)),
            RefusalKind.Invalid, "before the response");

    [Fact]
    public void A_return_gives_its_reason_and_opens_the_requirement_again()
    {
        var responded = Given<Case>(Found, Required, Responded(new DateOnly(2017, 8, 20)));
        Refused(new ReturnRectification(3, " ").Decide(responded, new DateOnly(2017, 8, 22)), RefusalKind.Invalid, "reason");
        var returned = new RectificationReturned(CaseId, InspectionId, 2017, Town, null, Village, "照片无日期", new DateOnly(2017, 8, 22));
        Then(new ReturnRectification(3, "照片无日期").Decide(responded, new DateOnly(2017, 8, 22)), returned);
        Then(new RespondToRectification(4, "补充照片", null, null).Decide(Given<Case>(Found, Required, Responded(new DateOnly(2017, 8, 20)), returned),
            Respondent(Town), new DateOnly(2017, 8, 23)), Responded(new DateOnly(2017, 8, 23)) with { Description = "补充照片" });
    }

    [Fact]
    public void A_closed_requirement_takes_no_more_steps()
    {
        var closed = Given<Case>(Found, Required, Responded(new DateOnly(2017, 8, 20)),
            new RectificationAccepted(CaseId, InspectionId, 2017, Town, null, Village, null, new DateOnly(2017, 8, 21), Deadline, false));
        Refused(new RespondToRectification(4, "x", null, null).Decide(closed, Respondent(Town), new DateOnly(2017, 8, 22)), RefusalKind.Conflict, "closed");
        Refused(new AcceptRectification(4, null, null).Decide(closed, Verifier, new DateOnly(2017, 8, 22)), RefusalKind.Conflict, "already closed");
        Refused(new RequestExtension(4, new DateOnly(2017, 9, 30), "x").Decide(closed, Respondent(Town), new DateOnly(2017, 8, 22)),
            RefusalKind.Conflict, "closed");
    }

    [Fact]
    public void An_extension_is_asked_for_once_at_a_time_and_moves_the_deadline_when_granted()
    {
        var current = Given<Case>(Found, Required);
        var today = new DateOnly(2017, 8, 25);
        Refused(new RequestExtension(2, Deadline, "雨季").Decide(current, Respondent(Town), today), RefusalKind.Invalid, "after the current deadline");
        var asked = new RectificationExtensionRequested(CaseId, InspectionId, 2017, Town, null, Village, new DateOnly(2017, 9, 30), "雨季",
            "resp-440233100", today);
        Then(new RequestExtension(2, new DateOnly(2017, 9, 30), " 雨季 ").Decide(current, Respondent(Town), today), asked);

        var pending = Given<Case>(Found, Required, asked);
        Refused(new RequestExtension(3, new DateOnly(2017, 10, 30), "x").Decide(pending, Respondent(Town), today),
            RefusalKind.Conflict, "already waiting");
        Refused(new DecideExtension(3, false, null).Decide(pending, Verifier, today), RefusalKind.Invalid, "reason");
        Then(new DecideExtension(3, true, "同意").Decide(pending, Verifier, today),
            new RectificationExtensionGranted(CaseId, InspectionId, 2017, Town, null, Village, Deadline, new DateOnly(2017, 9, 30), "同意", today,
                DecidedBy: Verifier.User));
        Refused(new DecideExtension(2, true, "同意").Decide(current, Verifier, today), RefusalKind.Conflict, "no extension has been asked for");
    }
}
