using Ledger.Domain.Common;
using Ledger.Domain.Inspections;
using Ledger.Domain.Tips;
using static Ledger.Domain.Tests.Inspections.Fixture;
using static Ledger.Domain.Tests.Spec;

namespace Ledger.Domain.Tests.Inspections;

/// <summary>Records that open a case in an inspection (finding, funding check), and their correction and withdrawal.</summary>
public sealed class CaseDecisionTests
{
    private static readonly Guid TipId = Guid.Parse("0190b000-0000-7000-8000-000000000003");
    private static readonly Evidence Photo = new(" 现场照片 ", EvidenceKind.Photo, "ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789");
    private static readonly Evidence PhotoKept = Photo with { Title = "现场照片", Sha256 = Photo.Sha256!.ToLowerInvariant() };

    private static RecordFinding Finding(int? area = 4, string? village = Village, InspectionMethod? method = InspectionMethod.DocumentReview,
        Guid? tip = null, DateOnly? observedOn = null) =>
        new(null, null, village, area, method, " 公示未满7天 ", Severity.Serious, [Photo], observedOn, tip);

    [Fact]
    public void A_team_member_records_a_finding_in_a_village_of_a_covered_town() =>
        Then(Finding().Decide(CaseId, Fielded(), Entries, null, Inspector(Member.User), Today),
            new FindingRecorded(CaseId, InspectionId, 2017, Town, null, Village, ContentArea.IdentificationAndExit,
                InspectionMethod.DocumentReview, "公示未满7天", Severity.Serious, [PhotoKept], Member.User, Today));

    [Fact]
    public void A_finding_from_a_tip_linked_to_the_inspection_keeps_the_tip()
    {
        var tip = Given<Tip>(new TipReceived(TipId, "hash", "举报", Town, Village, null, PlannedOn),
            new TipLinked(TipId, InspectionId, 2017, Town, Village, PlannedOn));
        Then(Finding(method: InspectionMethod.PublicReport, tip: TipId).Decide(CaseId, Fielded(), Entries, tip, Inspector(Member.User), Today),
            new FindingRecorded(CaseId, InspectionId, 2017, Town, null, Village, ContentArea.IdentificationAndExit,
                InspectionMethod.PublicReport, "公示未满7天", Severity.Serious, [PhotoKept], Member.User, Today, TipId));
    }

    [Fact]
    public void Only_the_team_records_findings() =>
        Refused(Finding().Decide(CaseId, Fielded(), Entries, null, Inspector("someone.else"), Today), RefusalKind.Forbidden, "only a member");

    [Fact]
    public void A_finding_stays_in_the_inspection_s_scope_and_areas()
    {
        Refused(Finding(village: OtherVillage).Decide(CaseId, Fielded(), Entries, null, Inspector(Member.User), Today),
            RefusalKind.Invalid, $"village {OtherVillage} lies neither in a covered town");
        Refused(Finding(area: 7).Decide(CaseId, Fielded(ContentArea.IdentificationAndExit), Entries, null, Inspector(Member.User), Today),
            RefusalKind.Invalid, "content area 7 is not examined by this inspection");
        Refused(Finding(observedOn: Today.AddDays(1)).Decide(CaseId, Fielded(), Entries, null, Inspector(Member.User), Today),
            RefusalKind.Invalid, "observedOn is in the future");
    }

    [Fact]
    public void A_tip_not_linked_to_this_inspection_is_refused() =>
        Refused(Finding(method: InspectionMethod.PublicReport, tip: TipId).Decide(CaseId, Fielded(), Entries, null, Inspector(Member.User), Today),
            RefusalKind.Invalid, $"tip {TipId} is not linked to this inspection");

    [Fact]
    public void Findings_are_recorded_only_in_the_field() =>
        Refused(Finding().Decide(CaseId, Formed(), Entries, null, Inspector(Member.User), Today), RefusalKind.Conflict, "only while the inspection is in the field");

    private static RecordFundingCheck Check(IReadOnlyList<FundIrregularity>? irregularities = null, int? idleMonths = null, Severity? severity = null,
        decimal spent = 80m) =>
        new(" 产业扶贫资金 ", FundSourceLevel.Provincial, " 养鸡场 ", Town, null, null, 100m, 100m, spent, new DateOnly(2017, 3, 1),
            irregularities, idleMonths, null, severity, InspectionMethod.DocumentReview, null, [], null);

    [Fact]
    public void A_funding_check_with_idle_funds_is_a_minor_problem_unless_stated() =>
        Then(Check([FundIrregularity.Idle], 7).Decide(CaseId, Fielded(), Entries, Inspector(Member.User), Today),
            new FundingCheckRecorded(CaseId, InspectionId, 2017, Town, null, null, "产业扶贫资金", FundSourceLevel.Provincial, "养鸡场",
                100m, 100m, 80m, new DateOnly(2017, 3, 1), [FundIrregularity.Idle], 7, null, Severity.Minor,
                InspectionMethod.DocumentReview, null, [], Member.User, Today));

    [Fact]
    public void Only_the_team_records_funding_checks() =>
        Refused(Check().Decide(CaseId, Fielded(), Entries, InspectionOffice, Today), RefusalKind.Forbidden, "only a member");

    [Fact]
    public void A_funding_check_needs_area_7_and_consistent_figures()
    {
        Refused(Check().Decide(CaseId, Fielded(ContentArea.IdentificationAndExit), Entries, Inspector(Member.User), Today),
            RefusalKind.Invalid, "does not examine fiscal poverty funds");
        Refused(Check([FundIrregularity.Idle]).Decide(CaseId, Fielded(), Entries, Inspector(Member.User), Today),
            RefusalKind.Invalid, "idle funds (资金闲置) need idleMonths");
        Refused(Check(spent: 120m).Decide(CaseId, Fielded(), Entries, Inspector(Member.User), Today),
            RefusalKind.Invalid, "state the reason in overspendReason");
        Refused(Check(severity: Severity.Grave).Decide(CaseId, Fielded(), Entries, Inspector(Member.User), Today),
            RefusalKind.Invalid, "severity is for a check with irregularities");
    }

    [Fact]
    public void Funding_checks_are_recorded_only_in_the_field() =>
        Refused(Check().Decide(CaseId, Reported(), Entries, Inspector(Member.User), Today), RefusalKind.Conflict, "only while the inspection is in the field");

    private static AmendFinding Amend(string? reason = "核实有误", string? description = null, Severity? severity = null, int? area = null,
        decimal? spent = null, IReadOnlyList<FundIrregularity>? irregularities = null, int? idleMonths = null) =>
        new(2, reason, description, severity, area, null, null, null, null, spent, irregularities, idleMonths, null);

    private static readonly FundingCheckRecorded Checked = new(CaseId, InspectionId, 2017, Town, null, null, "产业扶贫资金", FundSourceLevel.Provincial,
        "养鸡场", 100m, 100m, 80m, null, [], null, null, null, InspectionMethod.DocumentReview, null, [], Member.User, InField);

    [Fact]
    public void A_finding_is_corrected_with_only_what_changes() =>
        Then(Amend(" 核实有误 ", " 公示仅5天 ", Severity.Grave).Decide(Given<Case>(Fixture.Finding()), Fielded(), Inspector(Member.User), Today),
            new FindingAmended(CaseId, InspectionId, 2017, Town, null, Village, "核实有误", "公示仅5天", Severity.Grave, null, null, [], Today));

    [Fact]
    public void Irregularities_found_later_make_a_funding_check_a_problem_with_the_default_severity() =>
        Then(Amend(irregularities: [FundIrregularity.Diverted]).Decide(Given<Case>(Checked), Fielded(), InspectionOffice, Today),
            new FundingCheckAmended(CaseId, InspectionId, 2017, Town, null, null, "核实有误", null, null, null,
                [FundIrregularity.Diverted], null, null, Severity.Grave, [], Today));

    [Fact]
    public void Only_the_team_or_the_office_corrects() =>
        Refused(Amend(severity: Severity.Grave).Decide(Given<Case>(Fixture.Finding()), Fielded(), Respondent(Town), Today),
            RefusalKind.Forbidden, "only the inspection's team or the inspection office corrects");

    [Fact]
    public void A_correction_has_a_reason_changes_something_and_fits_the_record()
    {
        Refused(Amend(reason: null, severity: Severity.Grave).Decide(Given<Case>(Fixture.Finding()), Fielded(), InspectionOffice, Today),
            RefusalKind.Invalid, "reason (why it is corrected)");
        Refused(Amend(severity: Severity.Serious).Decide(Given<Case>(Fixture.Finding()), Fielded(), InspectionOffice, Today),
            RefusalKind.Invalid, "the amendment changes nothing");
        Refused(Amend(spent: 90m).Decide(Given<Case>(Fixture.Finding()), Fielded(), InspectionOffice, Today),
            RefusalKind.Invalid, "amounts and irregularities belong to funding checks");
        Refused(Amend(area: 3).Decide(Given<Case>(Checked), Fielded(), InspectionOffice, Today),
            RefusalKind.Invalid, "are not amended");
        Refused(Amend(area: 7).Decide(Given<Case>(Fixture.Finding()), Fielded(ContentArea.IdentificationAndExit), InspectionOffice, Today),
            RefusalKind.Invalid, "content area 7 is not one this inspection examines");
    }

    private static readonly FindingWithdrawn Withdrawn = new(CaseId, InspectionId, 2017, Town, null, Village, "重复记录", Today);

    [Fact]
    public void A_withdrawn_record_or_a_closed_inspection_is_not_corrected()
    {
        Refused(Amend(severity: Severity.Grave).Decide(Given<Case>(Fixture.Finding(), Withdrawn), Fielded(), InspectionOffice, Today),
            RefusalKind.Conflict, "the record has been withdrawn");
        var closed = Given<Inspection>(PlannedEvent(), TeamFormed, FieldworkStarted, Report(),
            new InspectionResultsNotified(InspectionId, 2017, Town, null, "通报", [], [], new DateOnly(2017, 8, 2)));
        Refused(Amend(severity: Severity.Grave).Decide(Given<Case>(Fixture.Finding()), closed, InspectionOffice, Today),
            RefusalKind.Conflict, "the inspection is closed");
    }

    [Fact]
    public void A_record_is_withdrawn_with_its_reason() =>
        Then(new WithdrawFinding(1, " 重复记录 ").Decide(Given<Case>(Fixture.Finding()), Fielded(), Inspector(Leader.User), Today), Withdrawn);

    [Fact]
    public void Only_the_team_or_the_office_withdraws() =>
        Refused(new WithdrawFinding(1, "重复记录").Decide(Given<Case>(Fixture.Finding()), Fielded(), Reviewer, Today),
            RefusalKind.Forbidden, "only the inspection's team or the inspection office withdraws");

    [Fact]
    public void A_withdrawal_needs_a_reason() =>
        Refused(new WithdrawFinding(1, " ").Decide(Given<Case>(Fixture.Finding()), Fielded(), InspectionOffice, Today),
            RefusalKind.Invalid, "reason (why it is withdrawn)");

    [Fact]
    public void A_record_is_withdrawn_once() =>
        Refused(new WithdrawFinding(2, "again").Decide(Given<Case>(Fixture.Finding(), Withdrawn), Fielded(), InspectionOffice, Today),
            RefusalKind.Conflict, "already withdrawn");
}
