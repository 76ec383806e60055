using Ledger.Domain.Common;
using Ledger.Domain.Inspections;

namespace Ledger.Domain.Identification;

// Household streams (id = StableId("household", county, householdCode)); decision streams (one
// per decision); identification reviews are cases (see CaseEvents); approval surveys are streams
// of their own.

/// <summary>
/// 建档立卡户登记: a household record in a village. Minimal personal data: the head's name masked,
/// the ID number (if kept) encrypted, with a masked copy for display.
/// </summary>
[Label("建档立卡户登记")]
public sealed record HouseholdRegistered(
    Guid HouseholdId, string HouseholdCode, string TownCode, string VillageCode, string HeadNameMasked, int Size,
    string? IdNumberMasked, string? IdNumberEncrypted, DateOnly RegisteredOn);

/// <summary>
/// 身份证号重新加密: the household's ID number encrypted again under the key now current (the old
/// ciphertext stays in the registration event, readable only while its key is kept).
/// </summary>
[Label("身份证号重新加密")]
public sealed record IdNumberReencrypted(
    Guid HouseholdId, string HouseholdCode, string TownCode, string VillageCode, string IdNumberEncrypted, string KeyId);

/// <summary>查看完整身份证号: the poverty office was shown the whole ID number, and why (who: the event's user).</summary>
[Label("查看完整身份证号")]
public sealed record IdNumberRevealed(
    Guid HouseholdId, string HouseholdCode, string TownCode, string VillageCode, string Reason, DateOnly RevealedOn);

/// <summary>
/// 家庭收入及三保障核定: the household's per-capita disposable income (yuan) and the three guarantees
/// for a year; <c>CapacityToWork</c> false marks a household without capacity to work (无劳动能力)
/// and <c>SafetyNet</c> true that it is covered by 兜底保障 (低保/特困供养). Both were added later as
/// optional fields: events recorded before them read as unknown (an able-to-work household).
/// </summary>
[Label("家庭收入及三保障核定")]
public sealed record HouseholdAssessed(
    Guid HouseholdId, string HouseholdCode, string TownCode, string VillageCode, int Year,
    decimal PerCapitaIncome, ThreeGuarantees Guarantees, int Size, DateOnly AssessedOn,
    bool? CapacityToWork = null, bool? SafetyNet = null);

/// <summary>
/// 启动识别/退出程序: a decision on a household or a village opened, with the figures it rests on
/// and the county rules in force (minimum notice days), so that its checks never change later.
/// </summary>
[Label("启动识别/退出程序")]
public sealed record DecisionOpened(
    Guid DecisionId, DecisionSubject Subject, DecisionKind Kind, int Year, string TownCode, string VillageCode,
    Guid? HouseholdId, string? HouseholdCode, int People, DecisionBasis Basis, int MinimumNoticeDays, DateOnly OpenedOn);

/// <summary>
/// 程序步骤: one step of a decision's procedure, when it happened, with its evidence. A democratic
/// review records attendance; a notice its start and end dates and objections.
/// </summary>
[Label("记录程序步骤")]
public sealed record DecisionStepRecorded(
    Guid DecisionId, DecisionSubject Subject, DecisionKind Kind, int Year, string TownCode, string VillageCode,
    Guid? HouseholdId, DecisionStep Step, DateOnly Date,
    int? Attended, int? Eligible, DateOnly? NoticeStart, DateOnly? NoticeEnd, int? Objections,
    string? Note, IReadOnlyList<Evidence> Evidence, string RecordedBy);

/// <summary>
/// 识别退出复核: an inspector's verdict on a decision (or on a household never identified, for
/// missed cases). Anything but correct is a finding in content area 4, rectified like any other.
/// </summary>
[Label("识别退出复核")]
public sealed record IdentificationReviewed(
    Guid CaseId, Guid InspectionId, int Year, string TownCode, string? UnitCode, string VillageCode,
    Guid? DecisionId, DecisionKind? DecisionKind, string? HouseholdCode, int People, int? UnregisteredPeopleInVillage,
    ReviewVerdict Verdict, string Description, Severity? Severity, InspectionMethod Method,
    IReadOnlyList<Evidence> Evidence, string RecordedBy, DateOnly ReviewedOn);

/// <summary>群众认可度调查: how many of those asked in a town (or village) approve of the identification and exit work.</summary>
[Label("群众认可度调查")]
public sealed record PublicApprovalSurveyed(
    Guid SurveyId, Guid InspectionId, int Year, string TownCode, string? VillageCode,
    int Respondents, int Approving, string RecordedBy, DateOnly SurveyedOn);
