using Ledger.Domain.Common;
using Ledger.Domain.Inspections;

namespace Ledger.Domain.Rectifications;

/// <summary>Where a requirement stands in the loop: required → responded → accepted, or returned and round again.</summary>
public enum RectificationStage
{
    /// <summary>待反馈</summary>
    [Label("待反馈")] AwaitingResponse,
    /// <summary>已反馈待核实</summary>
    [Label("已反馈待核实")] Responded,
    /// <summary>已退回重新整改</summary>
    [Label("已退回")] Returned,
    /// <summary>已验收销号</summary>
    [Label("已验收销号")] Closed,
}

/// <summary>The board's colour for a requirement at a moment.</summary>
public enum RectificationStatus
{
    /// <summary>已销号 (accepted)</summary>
    [Label("已销号")] Closed,
    /// <summary>逾期 (red): past the deadline and not accepted</summary>
    [Label("逾期（红）")] Overdue,
    /// <summary>临期 (yellow): due within 3 days</summary>
    [Label("临期（黄）")] DueSoon,
    /// <summary>正常 (green)</summary>
    [Label("正常（绿）")] OnTrack,
    /// <summary>待核实: a response is awaiting the office's verification; the town's part is done for now, so never red.</summary>
    [Label("待核实")] AwaitingVerification,
}

/// <summary>An extension asked for, and what became of it.</summary>
public sealed record ExtensionRecord(DateOnly RequestedDeadline, string Reason, DateOnly RequestedOn, bool? Granted, string? DecisionReason, DateOnly? DecidedOn);

/// <summary>签收 as recorded: the 整改责任人 (name, post), the 整改措施, who signed and when, and whether it was late.</summary>
public sealed record AcknowledgementRecord(string ResponsiblePerson, string ResponsiblePost, string Measures, string AcknowledgedBy,
    DateOnly AcknowledgedOn, DateOnly DueBy, bool Late);

/// <summary>One turn of the loop: a response and the office's verdict on it.</summary>
public sealed record RectificationTurn(string Description, IReadOnlyList<Evidence> Evidence, string RespondedBy, bool OnBehalf,
    DateOnly RespondedOn, bool? Accepted, string? VerdictNote, DateOnly? VerifiedOn);

/// <summary>
/// A rectification requirement (整改要求) on a case, as the rules of the loop see it: who answers for
/// it, when it was notified, its deadline now, its stage, the date of the last response and the
/// deadline of an extension waiting for a decision. What the board shows (every turn, every
/// extension, labels) is the case view's, in Ledger.Projections.
/// </summary>
/// <para>
/// For fair deadlines it also keeps the deadline timeliness is judged by (<see cref="TimelinessDeadline"/>:
/// an extension asked after the deadline passed does not move it), the date of the last step (what a
/// back-dated date may not precede), and who responded last and who asked for the pending extension
/// (separation of duties).
/// </para>
public sealed record Rectification(
    string? ResponsibleTown, string? ResponsibleUnit, DateOnly NotifiedOn, DateOnly Deadline, RectificationStage Stage,
    DateOnly? LastRespondedOn, DateOnly? PendingExtension,
    DateOnly? TimelinessDeadline = null, DateOnly? LastStepOn = null, string? LastRespondedBy = null,
    string? PendingRequestedBy = null, bool PendingAfterDeadline = false, DateOnly? AcknowledgedOn = null,
    IReadOnlyList<SentReminder>? Reminded = null)
{
    /// <summary>The deadline timeliness is judged by.</summary>
    public DateOnly CountingDeadline => TimelinessDeadline ?? Deadline;

    /// <summary>The date of the last step on the requirement (notification, response, return).</summary>
    public DateOnly PreviousStepOn => LastStepOn ?? NotifiedOn;

    public string Responsible => ResponsibleTown ?? ResponsibleUnit ?? "";
}
