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
}

/// <summary>An extension asked for, and what became of it.</summary>
public sealed record ExtensionRecord(DateOnly RequestedDeadline, string Reason, DateOnly RequestedOn, bool? Granted, string? DecisionReason, DateOnly? DecidedOn);

/// <summary>One turn of the loop: a response and the office's verdict on it.</summary>
public sealed record RectificationTurn(string Description, IReadOnlyList<Evidence> Evidence, string RespondedBy, bool OnBehalf,
    DateOnly RespondedOn, bool? Accepted, string? VerdictNote, DateOnly? VerifiedOn);

/// <summary>
/// A rectification requirement (整改要求) on a case, as it stands: the original deadline stays
/// visible beside the current one, every turn of the loop and every extension are kept.
/// </summary>
public sealed record Rectification(
    Guid InspectionId, string? ResponsibleTown, string? ResponsibleUnit, string Action,
    DateOnly NotifiedOn, DateOnly OriginalDeadline, DateOnly Deadline, RectificationStage Stage,
    IReadOnlyList<RectificationTurn> Turns, IReadOnlyList<ExtensionRecord> Extensions, DateOnly? ClosedOn)
{
    public const int DueSoonDays = Deadlines.DueSoonDays;

    public string Responsible => ResponsibleTown ?? ResponsibleUnit ?? "";
    public string StageLabel => Codes.LabelOf(Stage);
    public int Returns => Turns.Count(t => t.Accepted == false);
    public bool ClosedLate => Deadlines.ClosedLate(ClosedOn, Deadline);
    public ExtensionRecord? PendingExtension => Extensions.LastOrDefault(e => e.Granted is null);
    public DateOnly? LastRespondedOn => Turns.Count > 0 ? Turns[^1].RespondedOn : null;

    /// <summary>The colour at a given day (the county's calendar).</summary>
    public RectificationStatus StatusOn(DateOnly today) => Deadlines.StatusOn(Stage, Deadline, today);
}
