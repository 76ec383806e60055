using Ledger.Api.Storage;
using Ledger.Domain.Access;
using Ledger.Domain.Rectifications;
using Ledger.Projections.Inbox;
using Ledger.Tests.Fixtures;
using Microsoft.Extensions.Configuration;

namespace Ledger.Tests.Reliability;

/// <summary>
/// 催办、督办 across a killed process (issue #19): the API runs as a real <c>dotnet</c> process on the test database,
/// its clock stopped on a day (<c>Ledger:TestClock:Today</c>), offering reminders to a local webhook receiver. It is
/// killed with SIGKILL while the receiver refuses every delivery (so deliveries wait in Wolverine's durable queue in
/// PostgreSQL), and started again past the escalation day with the receiver answering. Every reminder event is
/// appended once per (case, kind), every notice is in the inbox once, and the receiver gets every delivery at least
/// once, each carrying its key (the same in the body and the <c>Idempotency-Key</c> header) so a repeat is detectable.
/// The in-process test host shares the database (and is a Wolverine node too): it may deliver what the killed process
/// left, so both point at the same receiver; what is proved is that nothing pending at the kill is lost or appended twice.
/// </summary>
public sealed class ReminderKillTests(LedgerFixture fixture) : IntegrationTest(fixture)
{
    private static readonly string[] ReminderTypes = ["rectification_reminded", "rectification_escalated"];

    private async Task<long> ScalarAsync(string sql)
    {
        var database = (await Fixture.Store.DatabasesAsync()).Single();
        await using var connection = await LedgerFixture.OwnerConnectionAsync(database);
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToInt64(await command.ExecuteScalarAsync());
    }

    private Task<long> ReminderEventsAsync() => ScalarAsync(
        $"select count(*) from {Ledger.Api.Setup.MartenSetup.Schema}.mt_events where type in ({string.Join(", ", ReminderTypes.Select(t => $"'{t}'"))})");

    /// <summary>Webhook deliveries waiting (not yet handled) in Wolverine's durable local queue (its incoming envelopes, wherever its schema is).</summary>
    private async Task<long> PendingDeliveriesAsync()
    {
        var database = (await Fixture.Store.DatabasesAsync()).Single();
        await using var connection = await LedgerFixture.OwnerConnectionAsync(database);
        await using var find = connection.CreateCommand();
        find.CommandText = "select table_schema from information_schema.tables where table_name = 'wolverine_incoming_envelopes'";
        var schema = (string?)await find.ExecuteScalarAsync() ?? throw new InvalidOperationException("no wolverine_incoming_envelopes table");
        await using var count = connection.CreateCommand();
        count.CommandText = $"select count(*) from \"{schema}\".wolverine_incoming_envelopes where message_type like '%WebhookNotice%' and status <> 'Handled'";
        return Convert.ToInt64(await count.ExecuteScalarAsync());
    }

    private async Task<string> PendingStateAsync()
    {
        var database = (await Fixture.Store.DatabasesAsync()).Single();
        await using var connection = await LedgerFixture.OwnerConnectionAsync(database);
        await using var find = connection.CreateCommand();
        find.CommandText = "select table_schema from information_schema.tables where table_name = 'wolverine_incoming_envelopes'";
        var schema = (string?)await find.ExecuteScalarAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = $"select string_agg(status || '/owner ' || owner_id || '/attempts ' || attempts, '; ') from \"{schema}\".wolverine_incoming_envelopes";
        return (await command.ExecuteScalarAsync())?.ToString() ?? "";
    }

    /// <summary>Polls (no guessed sleep) until the condition holds, or fails with what the process said after two minutes.</summary>
    private async Task Until(Func<Task<bool>> condition, string what, LedgerProcess process, WebhookReceiver receiver)
    {
        var giveUp = DateTime.UtcNow.AddMinutes(2);
        while (!await condition())
        {
            if (DateTime.UtcNow > giveUp)
                Assert.Fail($"gave up waiting for {what}: {await ReminderEventsAsync()} reminder events, {await PendingDeliveriesAsync()} deliveries pending " +
                            $"({await PendingStateAsync()}), receiver got [{string.Join(", ", receiver.Received.Select(d => d.Key))}] and refused {receiver.Refused}, " +
                            $"the API said:\n{process.Output}");
            await Task.Delay(100);
        }
    }

    [Fact]
    public async Task Reminders_and_deliveries_pending_at_a_SIGKILL_are_appended_once_and_delivered_after_the_restart()
    {
        await Given.SampleRegistry();
        var r = await Given.ReportedInspection();
        await Given.NotifiedWithDeadline(r);   // every deadline 2017-09-30
        var cases = new[] { r.FindingA, r.FindingB, r.Check };
        // The test host's receiver: the test host is a second Wolverine node on this database and may take up the killed
        // process's deliveries from PostgreSQL as well as the restarted process; either way they must reach the county's receiver.
        var receiver = Fixture.Webhook;
        var settings = new Dictionary<string, string>
        {
            ["ConnectionStrings:Ledger"] = await Fixture.AppConnectionStringAsync(),
            ["Ledger:Jwt:SigningKey"] = LedgerFixture.SigningKey,
            ["Ledger:Crypto:Key"] = LedgerFixture.CryptoKey,
            ["Ledger:Audit:MacKey"] = Convert.ToBase64String(LedgerFixture.MacKey),
            ["Ledger:Checkpoints:Daily"] = "false",
            ["Ledger:Reminders:IntervalMinutes"] = "60",   // as deployed: a sweep at start, then hourly
            ["Ledger:Webhook:Url"] = receiver.Url.ToString(),
        };

        // On the deadline, with the receiver refusing everything: the start-up sweep appends the three 到期提醒 and
        // their deliveries fail and wait for a retry. Then the process is killed.
        receiver.FailNext(int.MaxValue);
        using (var first = new LedgerProcess(new Dictionary<string, string>(settings) { [Ledger.Api.Setup.FixedDayClock.Setting] = "2017-09-30" }))
        {
            await first.StartAsync();
            await Until(async () => await ReminderEventsAsync() == 3 && receiver.Refused >= 3, "three reminders appended and refused", first, receiver);
            first.Kill();
        }
        Assert.Empty(receiver.Received);
        Assert.Equal(3, await PendingDeliveriesAsync());

        // Started again a week past the deadline (逾期督办 due), the receiver answering now.
        receiver.FailNext(0);
        var expected = cases.SelectMany(c => new[] { $"{c}:DueToday:2017-09-30", $"{c}:Escalated:2017-09-30" }).OrderBy(k => k).ToArray();
        using (var second = new LedgerProcess(new Dictionary<string, string>(settings) { [Ledger.Api.Setup.FixedDayClock.Setting] = "2017-10-07" }))
        {
            await second.StartAsync();
            await Until(async () => await ReminderEventsAsync() >= 6 && expected.All(k => receiver.Received.Any(d => d.Key == k))
                                    && await PendingDeliveriesAsync() == 0, "six reminders appended and delivered", second, receiver);
            second.Kill();
        }

        Assert.Equal(6, await ReminderEventsAsync());
        var inbox = await Given.Get<List<InboxNotice>>("/api/inbox", Roles.PovertyOffice);
        Assert.Equal(cases.SelectMany(c => new[] { (c, ReminderKind.DueToday), (c, ReminderKind.Escalated) }).Order(),
            inbox.Select(n => (n.CaseId, n.Kind)).Order());
        Assert.Equal(expected, receiver.Received.Select(d => d.Key).Distinct().Order());
        Assert.All(receiver.Received, d => Assert.Equal(d.Key, d.Body.GetProperty("key").GetString()));
    }
}

/// <summary>The stopped clock of a test process (<c>Ledger:TestClock:Today</c>) cannot be switched on outside the Testing environment.</summary>
public sealed class FixedDayClockTests
{
    private static IConfiguration Settings(string day) =>
        new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { [Ledger.Api.Setup.FixedDayClock.Setting] = day }).Build();

    private static Microsoft.Extensions.Hosting.IHostEnvironment In(string environment) =>
        new Microsoft.Extensions.Hosting.Internal.HostingEnvironment { EnvironmentName = environment };

    [Theory]
    [InlineData("Production")]
    [InlineData("Development")]
    [InlineData("Staging")]
    public void Set_outside_the_testing_environment_the_ledger_refuses_to_start(string environment)
    {
        var refusal = Assert.Throws<InvalidOperationException>(() => Ledger.Api.Setup.FixedDayClock.From(Settings("2017-09-30"), In(environment)));
        Assert.Contains(Ledger.Api.Setup.FixedDayClock.Setting, refusal.Message);
    }

    [Fact]
    public void In_the_testing_environment_the_clock_stands_at_noon_china_time_of_the_day_and_without_it_there_is_none()
    {
        var clock = Ledger.Api.Setup.FixedDayClock.From(Settings("2017-09-30"), In("Testing"));
        Assert.Equal(new DateTimeOffset(2017, 9, 30, 4, 0, 0, TimeSpan.Zero), clock!.GetUtcNow());
        Assert.Null(Ledger.Api.Setup.FixedDayClock.From(new ConfigurationBuilder().Build(), In("Production")));
        Assert.Throws<InvalidOperationException>(() => Ledger.Api.Setup.FixedDayClock.From(Settings("30/09/2017"), In("Testing")));
    }
}
