using Ledger.Domain.Common;
using Ledger.Domain.Inspections;

namespace Ledger.Domain.Rectifications;

/// <summary>Which reminder a requirement gets (催办、督办).</summary>
public enum ReminderKind
{
    /// <summary>临期提醒: the deadline is a few days away</summary>
    [Label("临期提醒")] DueSoon,
    /// <summary>到期提醒: the deadline is today (or has just passed)</summary>
    [Label("到期提醒")] DueToday,
    /// <summary>逾期督办: overdue by the county's number of days; escalated to the offices</summary>
    [Label("逾期督办")] Escalated,
}

/// <summary>A reminder sent, for the deadline then in force (an extension's new deadline gets its own).</summary>
public sealed record SentReminder(ReminderKind Kind, DateOnly Deadline);

/// <summary>The county's days for reminders: how many before the deadline, and how many overdue before escalation.</summary>
public sealed record ReminderSettings(int DaysBefore, int EscalateAfterDays)
{
    public static readonly ReminderSettings Default = new(Deadlines.DueSoonDays, 7);
}

/// <summary>
/// 催办、督办: on a day, the one reminder a requirement is due — the most advanced that applies (a
/// reminder missed while the ledger was down is not sent late once a later one applies) — appended at
/// most once per kind and deadline. None for a closed requirement, nor while a response awaits the
/// office's verification (the town has answered; the office is the one to act).
/// </summary>
public static class Reminders
{
    public static ReminderKind? DueOn(Rectification requirement, DateOnly today, ReminderSettings settings)
    {
        if (requirement.Stage is RectificationStage.Closed or RectificationStage.Responded) return null;
        var deadline = requirement.Deadline;
        ReminderKind? kind = today >= deadline.AddDays(settings.EscalateAfterDays) ? ReminderKind.Escalated
            : today >= deadline ? ReminderKind.DueToday
            : today >= deadline.AddDays(-settings.DaysBefore) ? ReminderKind.DueSoon
            : null;
        return kind is { } k && !(requirement.Reminded ?? []).Contains(new SentReminder(k, deadline)) ? k : null;
    }

    /// <summary>The event for the reminder due on the case today, if any.</summary>
    public static Decision Decide(Case current, DateOnly today, ReminderSettings settings)
    {
        if (current.Rectification is not { } r) return RectificationRules.NoRequirement(current);
        if (DueOn(r, today, settings) is not { } kind) return Decision.Accept();
        object e = kind == ReminderKind.Escalated
            ? new RectificationEscalated(current.Id, current.InspectionId, current.Year, current.TownCode, current.UnitCode, current.VillageCode,
                r.ResponsibleTown, r.ResponsibleUnit, r.Deadline, today.DayNumber - r.Deadline.DayNumber, today)
            : new RectificationReminded(current.Id, current.InspectionId, current.Year, current.TownCode, current.UnitCode, current.VillageCode,
                r.ResponsibleTown, r.ResponsibleUnit, kind, r.Deadline, today);
        return Decision.Accept(e);
    }
}
