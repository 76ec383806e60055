using System.Net.Http.Json;
using Ledger.Api.Setup;
using Ledger.Domain.Common;
using Ledger.Domain.Rectifications;
using Ledger.Projections.Inbox;
using Wolverine.ErrorHandling;
using Wolverine.Runtime.Handlers;

namespace Ledger.Api.Reminders;

/// <summary>Where reminders are offered: <c>Ledger:Webhook:Url</c> (none: no webhook).</summary>
public sealed record WebhookSettings(Uri? Url)
{
    public static WebhookSettings From(IConfiguration configuration) =>
        new(configuration["Ledger:Webhook:Url"] is { Length: > 0 } url ? new Uri(url) : null);
}

/// <summary>
/// A reminder or escalation offered to the webhook. <see cref="Key"/> names it (case, kind, deadline:
/// a reminder is appended once per these), so a receiver can drop a delivery it has already had.
/// </summary>
public sealed record WebhookNotice(string Key, string County, Guid CaseId, Guid InspectionId, ReminderKind Kind, string KindLabel,
    string? ResponsibleTown, string? ResponsibleUnit, DateOnly Deadline, DateOnly On, string Text)
{
    public static WebhookNotice Of(string county, object e) => e switch
    {
        RectificationReminded r => new($"{r.CaseId}:{r.Kind}:{r.Deadline:yyyy-MM-dd}", county, r.CaseId, r.InspectionId, r.Kind,
            Codes.LabelOf(r.Kind), r.ResponsibleTown, r.ResponsibleUnit, r.Deadline, r.RemindedOn,
            InboxNotice.TextOf(r.Kind, r.ResponsibleTown ?? r.ResponsibleUnit ?? "", r.Deadline)),
        RectificationEscalated x => new($"{x.CaseId}:{ReminderKind.Escalated}:{x.Deadline:yyyy-MM-dd}", county, x.CaseId, x.InspectionId,
            ReminderKind.Escalated, Codes.LabelOf(ReminderKind.Escalated), x.ResponsibleTown, x.ResponsibleUnit, x.Deadline, x.EscalatedOn,
            InboxNotice.TextOf(ReminderKind.Escalated, x.ResponsibleTown ?? x.ResponsibleUnit ?? "", x.Deadline, x.DaysOverdue)),
        _ => throw new ArgumentException($"{e.GetType().Name} is no reminder", nameof(e)),
    };
}

/// <summary>
/// Delivers a notice to the webhook with an HTTP POST (JSON, <c>Idempotency-Key</c> header). A failure
/// (no answer, or not 2xx) is retried with growing pauses; the message waits in Wolverine's durable
/// local queue in PostgreSQL meanwhile, so a delivery pending at shutdown is made after the restart.
/// </summary>
public static class WebhookNoticeHandler
{
    private static readonly System.Text.Json.JsonSerializerOptions Json = JsonOptions();

    private static System.Text.Json.JsonSerializerOptions JsonOptions()
    {
        var options = new System.Text.Json.JsonSerializerOptions(System.Text.Json.JsonSerializerDefaults.Web);
        LedgerJson.Configure(options);
        return options;
    }

    /// <summary>
    /// Four quick retries in the handler (0.2 s, 1 s, 5 s, 30 s), then retries scheduled in the durable store
    /// (1 min, 5 min, 15 min, 1 h, then every 4 h: a day in all), so a receiver down for hours still gets the
    /// notice, also across a restart; only after that does it go to Wolverine's dead letters (kept in PostgreSQL).
    /// </summary>
    public static void Configure(HandlerChain chain) =>
        chain.OnException<HttpRequestException>().Or<TaskCanceledException>()
            .RetryWithCooldown(TimeSpan.FromMilliseconds(200), TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(30))
            .Then.ScheduleRetry(TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(15), TimeSpan.FromHours(1),
                TimeSpan.FromHours(4), TimeSpan.FromHours(4), TimeSpan.FromHours(4), TimeSpan.FromHours(4), TimeSpan.FromHours(4), TimeSpan.FromHours(4));

    public static async Task Handle(WebhookNotice notice, WebhookSettings settings, IHttpClientFactory clients, CancellationToken ct)
    {
        if (settings.Url is null) return;
        using var request = new HttpRequestMessage(HttpMethod.Post, settings.Url) { Content = JsonContent.Create(notice, options: Json) };
        request.Headers.Add("Idempotency-Key", notice.Key);
        using var response = await clients.CreateClient("webhook").SendAsync(request, ct);
        response.EnsureSuccessStatusCode();
    }
}
