using Ledger.Domain.Identification;
using Ledger.Domain.Rectifications;

namespace Ledger.Api.Setup;

/// <summary>
/// Rules a county sets for itself, from configuration: <c>Ledger:Counties:{code}:MinimumNoticeDays</c>,
/// else <c>Ledger:MinimumNoticeDays</c>, else 7 days; likewise the days to acknowledge a requirement
/// (<c>AcknowledgementDays</c>, 签收) and when reminders fall due.
/// </summary>
public sealed class CountyRules(IConfiguration configuration)
{
    public int MinimumNoticeDays(string county) =>
        configuration.GetValue<int?>($"Ledger:Counties:{county}:MinimumNoticeDays")
        ?? configuration.GetValue<int?>("Ledger:MinimumNoticeDays")
        ?? Standards.DefaultMinimumNoticeDays;

    /// <summary>
    /// A county's fair-deadline settings: <c>Ledger:Counties:{county}:MaxBackdateDays</c> and
    /// <c>…:VerificationDays</c>, else <c>Ledger:MaxBackdateDays</c> / <c>Ledger:VerificationDays</c>, else the defaults.
    /// </summary>
    public RectificationSettings Rectification(string county) => new(
        Setting(county, "MaxBackdateDays") ?? RectificationSettings.Default.MaxBackdateDays,
        Setting(county, "VerificationDays") ?? RectificationSettings.Default.VerificationDays);

    /// <summary>Days after the notification within which the responsible town or unit acknowledges (签收) a requirement.</summary>
    public int AcknowledgementDays(string county) => Setting(county, "AcknowledgementDays") ?? Acknowledgements.DefaultDays;

    /// <summary>Reminders (催办): <c>ReminderDaysBefore</c> the deadline, and escalation (督办) <c>EscalateAfterDays</c> past it.</summary>
    public ReminderSettings Reminders(string county) => new(
        Setting(county, "ReminderDaysBefore") ?? ReminderSettings.Default.DaysBefore,
        Setting(county, "EscalateAfterDays") ?? ReminderSettings.Default.EscalateAfterDays);

    /// <summary>Wrong passwords in a row that lock an account (<c>SignInAttempts</c>, default 5).</summary>
    public int SignInAttempts(string county) => Math.Max(1, Setting(county, "SignInAttempts") ?? 5);

    /// <summary>Minutes an account stays locked after them (<c>LockoutMinutes</c>, default 15).</summary>
    public int LockoutMinutes(string county) => Math.Max(1, Setting(county, "LockoutMinutes") ?? 15);

    private int? Setting(string county, string name) =>
        configuration.GetValue<int?>($"Ledger:Counties:{county}:{name}") ?? configuration.GetValue<int?>($"Ledger:{name}");
}
