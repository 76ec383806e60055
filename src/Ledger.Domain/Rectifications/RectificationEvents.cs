using Ledger.Domain.Common;
using Ledger.Domain.Inspections;

namespace Ledger.Domain.Rectifications;

// All on the case's stream: a requirement belongs to the finding's case, and its history is the
// case's history. Each carries the case's grouping keys and the responsible town or unit.

/// <summary>
/// 整改要求: what must be done, by whom (a town or a unit), by which date; notified with the inspection's
/// results, issued by either office (<c>IssuedBy</c>, <c>IssuingOffice</c>) on behalf of the leading group (<c>OnBehalfOf</c>).
/// </summary>
[Label("整改要求")]
public sealed record RectificationRequired(
    Guid CaseId, Guid InspectionId, int Year, string? TownCode, string? UnitCode, string? VillageCode,
    string? ResponsibleTown, string? ResponsibleUnit, string Action, DateOnly Deadline, DateOnly NotifiedOn,
    string? IssuedBy = null, string? IssuingOffice = null, string? OnBehalfOf = null);

/// <summary>反馈整改情况: what the responsible town or unit did (or the office on its behalf, marked so).</summary>
[Label("反馈整改情况")]
public sealed record RectificationResponded(
    Guid CaseId, Guid InspectionId, int Year, string? TownCode, string? UnitCode, string? VillageCode,
    string Description, IReadOnlyList<Evidence> Evidence, string RespondedBy, bool OnBehalf, DateOnly RespondedOn);

/// <summary>
/// 整改验收销号: the office verified the response and closes the requirement. Timeliness is judged by the
/// date of the response accepted (<c>RespondedOn</c>), not by the acceptance date: <c>Late</c> when that
/// response came after <c>Deadline</c>, the deadline that counts (an extension asked after the deadline
/// does not move it). <c>AcceptedBy</c>: the office user, never the one who responded.
/// Events recorded before these fields judged by the acceptance date.
/// </summary>
[Label("整改验收销号")]
public sealed record RectificationAccepted(
    Guid CaseId, Guid InspectionId, int Year, string? TownCode, string? UnitCode, string? VillageCode,
    string? Note, DateOnly AcceptedOn, DateOnly Deadline, bool Late, DateOnly? RespondedOn = null, string? AcceptedBy = null);

/// <summary>整改退回: the office sent the response back, with the reason; the requirement is open again.</summary>
[Label("整改退回")]
public sealed record RectificationReturned(
    Guid CaseId, Guid InspectionId, int Year, string? TownCode, string? UnitCode, string? VillageCode,
    string Reason, DateOnly ReturnedOn);

/// <summary>
/// 申请延期: a later deadline asked for, with the reason. <c>AfterDeadline</c> (逾期后申请): asked once the
/// deadline had passed; if granted, the original deadline still counts for timeliness.
/// </summary>
[Label("申请延期")]
public sealed record RectificationExtensionRequested(
    Guid CaseId, Guid InspectionId, int Year, string? TownCode, string? UnitCode, string? VillageCode,
    DateOnly RequestedDeadline, string Reason, string RequestedBy, DateOnly RequestedOn, bool AfterDeadline = false);

/// <summary>
/// 批准延期: the deadline moves; the original stays on record. Granted with a reason, by someone other
/// than who asked (<c>DecidedBy</c>). <c>AfterDeadline</c>: the request was 逾期后申请, so timeliness is
/// still judged by <c>PreviousDeadline</c>.
/// </summary>
[Label("批准延期")]
public sealed record RectificationExtensionGranted(
    Guid CaseId, Guid InspectionId, int Year, string? TownCode, string? UnitCode, string? VillageCode,
    DateOnly PreviousDeadline, DateOnly NewDeadline, string? Reason, DateOnly DecidedOn, bool AfterDeadline = false, string? DecidedBy = null);

/// <summary>不予延期: the extension is refused, with the reason; the deadline stands.</summary>
[Label("不予延期")]
public sealed record RectificationExtensionDenied(
    Guid CaseId, Guid InspectionId, int Year, string? TownCode, string? UnitCode, string? VillageCode,
    string Reason, DateOnly DecidedOn);

/// <summary>签收: the responsible town or unit acknowledged the requirement, naming its 整改责任人 and 整改措施 (late when after dueBy).</summary>
[Label("签收")]
public sealed record RectificationAcknowledged(
    Guid CaseId, Guid InspectionId, int Year, string? TownCode, string? UnitCode, string? VillageCode,
    string ResponsiblePerson, string ResponsiblePost, string Measures, string AcknowledgedBy, DateOnly AcknowledgedOn,
    DateOnly DueBy, bool Late);

/// <summary>无需整改: with the results, a problem of the inspection is given no requirement, for the recorded reason.</summary>
[Label("无需整改")]
public sealed record RectificationNotRequired(
    Guid CaseId, Guid InspectionId, int Year, string? TownCode, string? UnitCode, string? VillageCode,
    string? RecipientTown, string? RecipientUnit, string Reason, DateOnly NotifiedOn);

/// <summary>催办: the ledger reminded the responsible town or unit of a deadline near or reached (kind: 临期提醒 or 到期提醒).</summary>
[Label("催办提醒")]
public sealed record RectificationReminded(
    Guid CaseId, Guid InspectionId, int Year, string? TownCode, string? UnitCode, string? VillageCode,
    string? ResponsibleTown, string? ResponsibleUnit, ReminderKind Kind, DateOnly Deadline, DateOnly RemindedOn);

/// <summary>逾期督办: the requirement is overdue by the county's number of days; escalated to the offices.</summary>
[Label("逾期督办")]
public sealed record RectificationEscalated(
    Guid CaseId, Guid InspectionId, int Year, string? TownCode, string? UnitCode, string? VillageCode,
    string? ResponsibleTown, string? ResponsibleUnit, DateOnly Deadline, int DaysOverdue, DateOnly EscalatedOn);
