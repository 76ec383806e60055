using Ledger.Domain.Common;

namespace Ledger.Domain.FollowUp;

// Follow-up and accountability (practice, not the plan; issue 19): each event is on the stream of a
// case it concerns, so it shows in that case's history; a record naming several cases puts one event,
// with the same record id, on each. Each carries the case's grouping keys.

/// <summary>
/// 约谈: an interview held about the cases named — who was interviewed (name, post), by whom, when and
/// what was said — recorded by an office (<c>RecordedBy</c>, <c>RecordingOffice</c>).
/// </summary>
[Label("约谈")]
public sealed record InterviewRecorded(
    Guid CaseId, Guid InspectionId, int Year, string? TownCode, string? UnitCode, string? VillageCode,
    Guid InterviewId, string IntervieweeName, string IntervieweePost, string InterviewedBy, DateOnly HeldOn, string Subject,
    IReadOnlyList<Guid> CaseIds, string RecordedBy, string RecordingOffice);

/// <summary>
/// 通报批评: a criticism notice naming a town or unit and the cases it is criticised for, issued by either
/// office (<c>IssuedBy</c>, <c>IssuingOffice</c>) on behalf of the leading group (<c>OnBehalfOf</c>), as
/// 通报表扬 are (<see cref="Inspections.Issuing"/>).
/// </summary>
[Label("通报批评")]
public sealed record CriticismIssued(
    Guid CaseId, Guid InspectionId, int Year, string? TownCode, string? UnitCode, string? VillageCode,
    Guid NoticeId, string? CriticisedTown, string? CriticisedUnit, string Reason, IReadOnlyList<Guid> CaseIds, DateOnly IssuedOn,
    string IssuedBy, string IssuingOffice, string OnBehalfOf);

/// <summary>线索移交: an office hands the case's problem over to the discipline inspection office (县纪委监委) as a lead.</summary>
[Label("问题线索移交")]
public sealed record LeadHandedOver(
    Guid CaseId, Guid InspectionId, int Year, string? TownCode, string? UnitCode, string? VillageCode,
    string Recipient, string Summary, DateOnly HandedOverOn, string HandedOverBy, string HandingOffice);

/// <summary>线索签收回执: the discipline inspection office's receipt of the lead, recorded by a reviewer (纪检监察).</summary>
[Label("线索移交回执")]
public sealed record LeadReceiptRecorded(
    Guid CaseId, Guid InspectionId, int Year, string? TownCode, string? UnitCode, string? VillageCode,
    string ReceivedBy, DateOnly ReceivedOn, string RecordedBy);

/// <summary>线索处置结果: what the discipline inspection office made of the lead, recorded by a reviewer.</summary>
[Label("线索处置结果")]
public sealed record LeadOutcomeRecorded(
    Guid CaseId, Guid InspectionId, int Year, string? TownCode, string? UnitCode, string? VillageCode,
    string Outcome, DateOnly DecidedOn, string RecordedBy);

/// <summary>A lead handed over from a case, as the rules see it: when, and whether its receipt and outcome are recorded.</summary>
public sealed record LeadHandover(DateOnly HandedOverOn, DateOnly? ReceivedOn, DateOnly? DecidedOn);

/// <summary>
/// 回头看: an office re-checked a closed requirement (closed on <c>ClosedOn</c>). <c>ProblemBack</c>: the problem
/// was found back and reopened as the new case <c>RecurrenceCaseId</c>.
/// </summary>
[Label("回头看")]
public sealed record RectificationRechecked(
    Guid CaseId, Guid InspectionId, int Year, string? TownCode, string? UnitCode, string? VillageCode,
    DateOnly RecheckedOn, DateOnly ClosedOn, bool ProblemBack, string Findings, Guid? RecurrenceCaseId, string RecheckedBy, string RecheckingOffice);

/// <summary>问题反弹: this case is a problem found back by 回头看 on the closed case <c>PreviousCaseId</c>; follows its <c>FindingRecorded</c>.</summary>
[Label("回头看发现问题反弹")]
public sealed record ProblemRecurred(
    Guid CaseId, Guid InspectionId, int Year, string? TownCode, string? UnitCode, string? VillageCode,
    Guid PreviousCaseId, DateOnly FoundOn);
