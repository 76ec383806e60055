using JasperFx.Events;
using Ledger.Api.Http;
using Ledger.Api.Setup;
using Ledger.Domain.Inspections;
using Ledger.Domain.Rectifications;
using Ledger.Projections.Cases;
using Marten;
using Marten.Exceptions;
using Wolverine;
using Wolverine.ErrorHandling;
using Wolverine.Runtime.Handlers;

namespace Ledger.Api.Reminders;

/// <summary>
/// 催办、督办 for one county (the message's tenant): every open requirement gets the reminder or
/// escalation due on today's date (from the injected clock), appended to its case at most once per
/// kind and deadline. Run at start-up and at an interval by <see cref="ReminderSweeper"/>, so what fell
/// due while the ledger was down is appended when it comes back; each notice is then offered to the
/// webhook through Wolverine's durable (PostgreSQL) outbox.
/// </summary>
public sealed record SweepReminders;

public static class SweepRemindersHandler
{
    /// <summary>A requirement written to while the sweep ran: sweep again (the rule is idempotent).</summary>
    public static void Configure(HandlerChain chain) =>
        chain.OnException<JasperFx.ConcurrencyException>().Or<EventStreamUnexpectedMaxEventIdException>().RetryTimes(3);

    public static async Task Handle(SweepReminders _, IDocumentSession session, TimeProvider clock, CountyRules rules, WebhookSettings webhook,
        IMessageContext messages, CancellationToken ct)
    {
        var today = RequestValues.Today(clock);
        var settings = rules.Reminders(session.TenantId);
        var open = await session.Query<CaseView>()
            .Where(c => c.Rectification != null && c.Rectification.Stage != RectificationStage.Closed
                        && c.Rectification.Stage != RectificationStage.Responded)
            .Select(c => c.Id).ToListAsync(ct);
        foreach (var id in open)
        {
            var stream = await session.Events.FetchForWriting<Case>(id, ct);
            if (stream.Aggregate is not { } current) continue;
            var decision = Domain.Rectifications.Reminders.Decide(current, today, settings);
            if (decision.Refusal is not null || decision.Events.Count == 0) continue;
            stream.AppendMany(decision.Events);
            Telemetry.RemindersDue.Add(decision.Events.Count, new KeyValuePair<string, object?>("county", session.TenantId));
            if (webhook.Url is null) continue;
            foreach (var e in decision.Events)
                await messages.PublishAsync(WebhookNotice.Of(session.TenantId, e));
        }
    }
}

/// <summary>
/// Starts a sweep of every served county when the ledger starts (what fell due while it was down) and
/// then every <c>Ledger:Reminders:IntervalMinutes</c> (60; 0 turns the timer and the start-up sweep off,
/// as the tests do, which sweep when they choose).
/// </summary>
public sealed class ReminderSweeper(IServiceProvider services, ServedCounties counties, IConfiguration configuration,
    IHostApplicationLifetime lifetime, ILogger<ReminderSweeper> log) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var minutes = configuration.GetValue<int?>("Ledger:Reminders:IntervalMinutes") ?? 60;
        if (minutes <= 0) return;
        // Wolverine (a hosted service started after this one) must be running before the first sweep.
        var started = new TaskCompletionSource();
        using (lifetime.ApplicationStarted.Register(() => started.TrySetResult()))
        using (stoppingToken.Register(() => started.TrySetCanceled(stoppingToken)))
            await started.Task;
        using var timer = new PeriodicTimer(TimeSpan.FromMinutes(minutes));
        do
        {
            foreach (var county in counties.All)
            {
                try
                {
                    using var scope = services.CreateScope();
                    await scope.ServiceProvider.GetRequiredService<IMessageBus>().InvokeForTenantAsync(county, new SweepReminders(), stoppingToken);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    log.LogError(e, "Reminder sweep of county {County} failed; the next sweep tries again", county);
                }
            }
        } while (await timer.WaitForNextTickAsync(stoppingToken));
    }
}
