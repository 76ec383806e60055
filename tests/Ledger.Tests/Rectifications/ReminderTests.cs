using Ledger.Api.Cases;
using Ledger.Api.Reminders;
using Ledger.Domain.Access;
using Ledger.Domain.Common;
using Ledger.Domain.Rectifications;
using Ledger.Projections.Inbox;
using Ledger.Tests.Fixtures;
using Wolverine;
using static Ledger.Tests.Fixtures.Scenarios;

namespace Ledger.Tests.Rectifications;

/// <summary>催办、督办: reminders before and on the deadline and escalation when overdue, once each, in the inbox and to the webhook.</summary>
public sealed class ReminderTests(LedgerFixture fixture) : IntegrationTest(fixture)
{
    private async Task<Reported> Notified()
    {
        await Given.SampleRegistry();
        var r = await Given.ReportedInspection();
        await Given.NotifiedWithDeadline(r);   // 2017-08-01, every deadline 2017-09-30: A and B to town 100, the check to town 101
        return r;
    }

    private async Task Sweep(string county = Counties.Xinfeng)
    {
        using var scope = Host.Services.CreateScope();
        await scope.ServiceProvider.GetRequiredService<IMessageBus>().InvokeForTenantAsync(county, new SweepReminders());
    }

    private async Task<string[]> History(Guid caseId) =>
        (await Given.Get<CaseAnswer>($"/api/cases/{caseId}")).History.Select(h => h.Type).ToArray();

    [Fact]
    public async Task A_reminder_falls_due_days_before_the_deadline_is_appended_once_and_reaches_the_responsible_towns_inbox()
    {
        var r = await Notified();
        Fixture.Clock.SetToday(new DateOnly(2017, 9, 26));   // four days before: nothing yet
        var before = await Fixture.EventCountAsync();
        await Sweep();
        Assert.Equal(before, await Fixture.EventCountAsync());

        Fixture.Clock.SetToday(new DateOnly(2017, 9, 27));   // three days before: 临期提醒
        await Sweep();
        await Sweep();                                        // again the same day: nothing more
        Assert.Equal(before + 3, await Fixture.EventCountAsync());
        Assert.Equal("rectification_reminded", (await History(r.FindingA))[^1]);

        var office = await Given.Get<List<InboxNotice>>("/api/inbox", Roles.PovertyOffice);
        Assert.Equal(new[] { r.FindingA, r.FindingB, r.Check }.OrderBy(id => id), office.Select(n => n.CaseId).OrderBy(id => id));
        Assert.All(office, n => Assert.Equal(ReminderKind.DueSoon, n.Kind));
        var town = await Given.GetWithToken<List<InboxNotice>>("/api/inbox", Given.Respondent());
        Assert.Equal(new[] { r.FindingA, r.FindingB }.OrderBy(id => id), town.Select(n => n.CaseId).OrderBy(id => id));
        Assert.Equal("【临期提醒】440233100：整改要求将于2017年9月30日到期，请按时反馈整改情况。", town[0].Text);
        var other = await Given.GetWithToken<List<InboxNotice>>("/api/inbox", Given.Respondent("town:440233101"));
        Assert.Equal([r.Check], other.Select(n => n.CaseId).ToArray());
    }

    [Fact]
    public async Task Overdue_by_the_countys_days_escalates_except_a_requirement_whose_response_awaits_verification()
    {
        var r = await Notified();
        Fixture.Clock.SetToday(new DateOnly(2017, 9, 30));
        await Given.Loop(r.FindingA, "responses", new { description = "已重新公示" }, Given.Respondent());
        Fixture.Clock.SetToday(new DateOnly(2017, 10, 7));   // seven days overdue: 逾期督办 (what was due before it is not sent late)
        await Sweep();

        Assert.Equal("rectification_responded", (await History(r.FindingA))[^1]);
        Assert.Equal(["finding_recorded", "rectification_required", "rectification_escalated"], await History(r.FindingB));
        var notices = await Given.Get<List<InboxNotice>>("/api/inbox", Roles.InspectionOffice);
        Assert.Equal(new[] { r.FindingB, r.Check }.OrderBy(id => id), notices.Select(n => n.CaseId).OrderBy(id => id));
        Assert.All(notices, n => Assert.Equal("逾期督办", n.KindLabel));
        Assert.Contains("已逾期7天", notices[0].Text);

        // An extension's new deadline gets its own reminders; the old ones stay.
        await Given.Loop(r.FindingB, "extension-requests", new { requestedDeadline = "2017-10-31", reason = "雨季施工" }, Given.Respondent());
        await Given.Loop(r.FindingB, "extension-decision", new { granted = true, reason = "情况属实" }, Fixture.Token(Roles.PovertyOffice));
        Fixture.Clock.SetToday(new DateOnly(2017, 10, 31));
        await Sweep();
        Assert.Equal("rectification_reminded", (await History(r.FindingB))[^1]);
        Assert.Equal(ReminderKind.DueToday, (await Given.Get<List<InboxNotice>>("/api/inbox", Roles.PovertyOffice))
            .First(n => n.CaseId == r.FindingB).Kind);
    }

    [Fact]
    public async Task Each_reminder_is_posted_to_the_webhook_and_a_refused_delivery_is_retried()
    {
        var r = await Notified();
        Fixture.Webhook.FailNext(2);
        Fixture.Clock.SetToday(new DateOnly(2017, 9, 30));
        await Sweep();

        var deliveries = await Fixture.Webhook.WaitForAsync(3);
        Assert.Equal(2, Fixture.Webhook.Refused);
        Assert.Equal(3, deliveries.Count);
        Assert.Equal(new[] { r.FindingA, r.FindingB, r.Check }.Select(id => $"{id}:DueToday:2017-09-30").OrderBy(k => k),
            deliveries.Select(d => d.Key).OrderBy(k => k));
        var a = deliveries.Single(d => d.Body.GetProperty("caseId").GetGuid() == r.FindingA).Body;
        Assert.Equal("440233100", a.GetProperty("responsibleTown").GetString());
        Assert.Equal("到期提醒", a.GetProperty("kindLabel").GetString());
        Assert.Equal(Counties.Xinfeng, a.GetProperty("county").GetString());
    }
}

/// <summary>
/// A second API process on the same database, started after the first stopped sweeping: as a
/// deployment does (reminders swept at start-up and hourly), on its own clock.
/// </summary>
public sealed class RestartedLedger(DateOnly today) : LedgerFixture
{
    protected override IReadOnlyDictionary<string, string> MoreSettings() => new Dictionary<string, string>
    {
        ["Ledger:Reminders:IntervalMinutes"] = "60",
    };

    public new async Task InitializeAsync()
    {
        Clock.SetToday(today);
        await base.InitializeAsync();
    }
}

public sealed class ReminderRestartTests(LedgerFixture fixture) : IntegrationTest(fixture)
{
    [Fact]
    public async Task Reminders_that_fell_due_while_no_ledger_ran_are_appended_when_one_starts()
    {
        await Given.SampleRegistry();
        var r = await Given.ReportedInspection();
        await Given.NotifiedWithDeadline(r);   // deadlines 2017-09-30; the fixture's host never sweeps by itself
        var before = await Fixture.EventCountAsync();

        // The ledger was down over the deadline; it comes back on 2017-10-02.
        var restarted = new RestartedLedger(new DateOnly(2017, 10, 2));
        await restarted.InitializeAsync();
        try
        {
            var giveUp = DateTime.UtcNow.AddMinutes(1);
            while (await Fixture.EventCountAsync() < before + 3 && DateTime.UtcNow < giveUp) await Task.Delay(100);
            var deliveries = await restarted.Webhook.WaitForAsync(3);
            Assert.Equal(before + 3, await Fixture.EventCountAsync());
            Assert.Equal(new[] { r.FindingA, r.FindingB, r.Check }.Select(id => $"{id}:DueToday:2017-09-30").OrderBy(k => k),
                deliveries.Select(d => d.Key).OrderBy(k => k));
        }
        finally
        {
            await restarted.DisposeAsync();
        }
        var history = (await Given.Get<Ledger.Api.Cases.CaseAnswer>($"/api/cases/{r.FindingB}")).History.Select(h => h.Type).ToArray();
        Assert.Equal("rectification_reminded", history[^1]);
    }
}
