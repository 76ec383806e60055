using Ledger.Domain.Common;

namespace Ledger.Domain.Inspections;

// Case streams: each finding or funding check is its own stream, which later steps (amendments,
// withdrawal, rectification) attach to. Every event carries the grouping keys of its case.

/// <summary>记录督查发现: a finding, its target, content area, method, severity and evidence.</summary>
[Label("记录督查发现")]
public sealed record FindingRecorded(
    Guid CaseId, Guid InspectionId, int Year, string? TownCode, string? UnitCode, string? VillageCode,
    ContentArea Area, InspectionMethod Method, string Description, Severity Severity,
    IReadOnlyList<Evidence> Evidence, string RecordedBy, DateOnly ObservedOn, Guid? SourceTipId = null);

/// <summary>
/// 记录资金检查: how a fund was raised and used. With irregularities it is also a finding in
/// content area 7 (财政扶贫资金) and can be rectified like any other.
/// </summary>
[Label("记录资金检查")]
public sealed record FundingCheckRecorded(
    Guid CaseId, Guid InspectionId, int Year, string? TownCode, string? UnitCode, string? VillageCode,
    string Fund, FundSourceLevel SourceLevel, string Project,
    decimal Allocated, decimal Arrived, decimal Spent, DateOnly? ArrivedOn,
    IReadOnlyList<FundIrregularity> Irregularities, int? IdleMonths, string? OverspendReason,
    Severity? Severity, InspectionMethod Method, string? Notes,
    IReadOnlyList<Evidence> Evidence, string RecordedBy, DateOnly CheckedOn);

/// <summary>更正督查发现: what changes in a finding, and why. Unchanged fields are null.</summary>
[Label("更正督查发现")]
public sealed record FindingAmended(
    Guid CaseId, Guid InspectionId, int Year, string? TownCode, string? UnitCode, string? VillageCode,
    string Reason, string? Description, Severity? Severity, ContentArea? Area, InspectionMethod? Method,
    IReadOnlyList<Evidence> AddedEvidence, DateOnly AmendedOn);

/// <summary>更正资金检查: corrected figures or irregularities, and why. Unchanged fields are null.</summary>
[Label("更正资金检查")]
public sealed record FundingCheckAmended(
    Guid CaseId, Guid InspectionId, int Year, string? TownCode, string? UnitCode, string? VillageCode,
    string Reason, decimal? Allocated, decimal? Arrived, decimal? Spent,
    IReadOnlyList<FundIrregularity>? Irregularities, int? IdleMonths, string? OverspendReason, Severity? Severity,
    IReadOnlyList<Evidence> AddedEvidence, DateOnly AmendedOn);

/// <summary>撤回: a finding or funding check withdrawn, with the reason. It stays in the ledger.</summary>
[Label("撤回")]
public sealed record FindingWithdrawn(
    Guid CaseId, Guid InspectionId, int Year, string? TownCode, string? UnitCode, string? VillageCode,
    string Reason, DateOnly WithdrawnOn);
