using JasperFx.Events;
using Ledger.Domain.Common;
using Ledger.Domain.Rectifications;
using Marten.Events.Projections;

namespace Ledger.Projections.Inbox;

/// <summary>
/// A notice in <c>GET /api/inbox</c>: a reminder or escalation on a requirement, for the responsible
/// town or unit and for the offices. Its id is its event's id, so a rebuild gives the same notices.
/// </summary>
public sealed record InboxNotice(
    Guid Id, Guid CaseId, Guid InspectionId, int Year, string? ResponsibleTown, string? ResponsibleUnit, ReminderKind Kind,
    DateOnly Deadline, DateOnly On, string Text)
{
    public string KindLabel => Codes.LabelOf(Kind);

    /// <summary>The words a person reads, in Chinese.</summary>
    public static string TextOf(ReminderKind kind, string responsible, DateOnly deadline, int daysOverdue = 0) => kind switch
    {
        ReminderKind.DueSoon => $"【临期提醒】{responsible}：整改要求将于{deadline:yyyy年M月d日}到期，请按时反馈整改情况。",
        ReminderKind.DueToday => $"【到期提醒】{responsible}：整改要求已于{deadline:yyyy年M月d日}到期，请立即反馈整改情况。",
        _ => $"【逾期督办】{responsible}：整改要求已逾期{daysOverdue}天（期限{deadline:yyyy年M月d日}），予以督办。",
    };
}

/// <summary>One notice per reminder or escalation event (inline: the sweep that appends it makes the notice with it).</summary>
public sealed partial class InboxProjection : EventProjection
{
    public InboxNotice Create(IEvent<RectificationReminded> e) => new(e.Id, e.Data.CaseId, e.Data.InspectionId, e.Data.Year,
        e.Data.ResponsibleTown, e.Data.ResponsibleUnit, e.Data.Kind, e.Data.Deadline, e.Data.RemindedOn,
        InboxNotice.TextOf(e.Data.Kind, e.Data.ResponsibleTown ?? e.Data.ResponsibleUnit ?? "", e.Data.Deadline));

    public InboxNotice Create(IEvent<RectificationEscalated> e) => new(e.Id, e.Data.CaseId, e.Data.InspectionId, e.Data.Year,
        e.Data.ResponsibleTown, e.Data.ResponsibleUnit, ReminderKind.Escalated, e.Data.Deadline, e.Data.EscalatedOn,
        InboxNotice.TextOf(ReminderKind.Escalated, e.Data.ResponsibleTown ?? e.Data.ResponsibleUnit ?? "", e.Data.Deadline, e.Data.DaysOverdue));
}
