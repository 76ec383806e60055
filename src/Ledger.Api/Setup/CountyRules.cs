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

    /// <summary>Days after a requirement closed (销号) from which it is due for 回头看 (<c>RecheckDays</c>).</summary>
    public int RecheckDays(string county) => Setting(county, "RecheckDays") ?? Domain.FollowUp.Rechecks.DefaultDays;

    /// <summary>
    /// The household exit income line for a county and year, with its source:
    /// <c>Ledger:Counties:{county}:Years:{year}:HouseholdExitLine</c> and <c>…:HouseholdExitLineSource</c>
    /// (the document that set it; a line without its source is a configuration error), else the
    /// ledger's default line for the year (<see cref="Standards.DefaultExitLine"/>), else none.
    /// </summary>
    public CountySetting? HouseholdExitLine(string county, int year)
    {
        var key = $"Ledger:Counties:{county}:Years:{year}:HouseholdExitLine";
        if (configuration.GetValue<decimal?>(key) is not { } line) return Standards.DefaultExitLine(year);
        var source = configuration[$"{key}Source"];
        if (string.IsNullOrWhiteSpace(source))
            throw new InvalidOperationException($"{key} is set without {key}Source: a county setting names its source");
        return new CountySetting("householdExitLine", line, source.Trim());
    }

    /// <summary>
    /// The format of an office's document numbers (文号), with <c>{year}</c> and <c>{n}</c>:
    /// <c>Ledger:Counties:{county}:DocumentNumber:{office}</c>, else <c>Ledger:DocumentNumber:{office}</c>,
    /// else <see cref="Ledger.Domain.Documents.DocumentNumbers.DefaultFormat"/>.
    /// </summary>
    public string DocumentNumberFormat(string county, string office) =>
        configuration[$"Ledger:Counties:{county}:DocumentNumber:{office}"]
        ?? configuration[$"Ledger:DocumentNumber:{office}"]
        ?? Ledger.Domain.Documents.DocumentNumbers.DefaultFormat(office);

    /// <summary>Wrong passwords in a row that lock an account (<c>SignInAttempts</c>, default 5).</summary>
    public int SignInAttempts(string county) => Math.Max(1, Setting(county, "SignInAttempts") ?? 5);

    /// <summary>Minutes an account stays locked after them (<c>LockoutMinutes</c>, default 15).</summary>
    public int LockoutMinutes(string county) => Math.Max(1, Setting(county, "LockoutMinutes") ?? 15);

    private int? Setting(string county, string name) =>
        configuration.GetValue<int?>($"Ledger:Counties:{county}:{name}") ?? configuration.GetValue<int?>($"Ledger:{name}");
}
