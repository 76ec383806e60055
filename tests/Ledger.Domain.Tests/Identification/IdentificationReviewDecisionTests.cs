using Ledger.Domain.Common;
using Ledger.Domain.Identification;
using Ledger.Domain.Inspections;
using static Ledger.Domain.Tests.Inspections.Fixture;
using static Ledger.Domain.Tests.Spec;

namespace Ledger.Domain.Tests.Identification;

/// <summary>The inspection's look at identification and exit: reviews of decisions or households (new cases), and approval surveys.</summary>
public sealed class IdentificationReviewDecisionTests
{
    private static readonly Guid DecisionId = Guid.Parse("0190b000-0000-7000-8000-000000000004");
    private static readonly Guid HouseholdId = Guid.Parse("0190b000-0000-7000-8000-000000000005");
    private static readonly Guid SurveyId = Guid.Parse("0190b000-0000-7000-8000-000000000006");

    private static IdentificationDecision Decision(DecisionKind kind) => Given<IdentificationDecision>(new DecisionOpened(DecisionId,
        DecisionSubject.Household, kind, 2017, Town, Village, HouseholdId, "H001", 4, new DecisionBasis(3000m, null, null, null), 7, PlannedOn));

    private static readonly Household House = Given<Household>(new HouseholdRegistered(HouseholdId, "H002", Town, Village, "张*", 3, null, null, PlannedOn));

    private static ReviewIdentification Review(Guid? decision = null, string? household = null, string? village = null, int? people = null,
        ReviewVerdict? verdict = ReviewVerdict.WronglyExited) =>
        new(decision, household, village, people, null, verdict, " 收入未达标即退出 ", null, null, [], null);

    [Fact]
    public void A_wrong_exit_is_a_serious_problem_in_the_decision_s_village() =>
        Then(Review(DecisionId).Decide(CaseId, Fielded(), Decision(DecisionKind.Exit), null, Entries, Inspector(Member.User), Today),
            new IdentificationReviewed(CaseId, InspectionId, 2017, Town, null, Village, DecisionId, DecisionKind.Exit, "H001", 4, null,
                ReviewVerdict.WronglyExited, "收入未达标即退出", Severity.Serious, InspectionMethod.FieldInvestigation, [], Member.User, Today));

    [Fact]
    public void A_missed_household_is_reviewed_with_its_size_and_a_correct_verdict_has_no_severity()
    {
        Then(Review(household: " H002 ", verdict: ReviewVerdict.Missed).Decide(CaseId, Fielded(), null, House, Entries, Inspector(Member.User), Today),
            new IdentificationReviewed(CaseId, InspectionId, 2017, Town, null, Village, null, null, "H002", 3, null,
                ReviewVerdict.Missed, "收入未达标即退出", Severity.Serious, InspectionMethod.FieldInvestigation, [], Member.User, Today));
        Then(Review(village: Village, people: 2, verdict: ReviewVerdict.Correct).Decide(CaseId, Fielded(), null, null, Entries, Inspector(Member.User), Today),
            new IdentificationReviewed(CaseId, InspectionId, 2017, Town, null, Village, null, null, null, 2, null,
                ReviewVerdict.Correct, "收入未达标即退出", null, InspectionMethod.FieldInvestigation, [], Member.User, Today));
    }

    [Fact]
    public void Only_the_team_reviews() =>
        Refused(Review(DecisionId).Decide(CaseId, Fielded(), Decision(DecisionKind.Exit), null, Entries, PovertyOffice, Today),
            RefusalKind.Forbidden, "only a member of this inspection's team reviews");

    [Fact]
    public void A_verdict_fits_what_is_reviewed()
    {
        Refused(Review(DecisionId).Decide(CaseId, Fielded(), Decision(DecisionKind.Entry), null, Entries, Inspector(Member.User), Today),
            RefusalKind.Invalid, "错退 (wrongly exited) is a verdict on an exit decision");
        Refused(Review(DecisionId, verdict: ReviewVerdict.Missed).Decide(CaseId, Fielded(), Decision(DecisionKind.Entry), null, Entries,
            Inspector(Member.User), Today), RefusalKind.Invalid, "漏评 (missed) is a verdict on a household never identified");
        Refused(Review(household: "H404", village: Village, people: 2, verdict: ReviewVerdict.Missed)
                .Decide(CaseId, Fielded(), null, null, Entries, Inspector(Member.User), Today),
            RefusalKind.Invalid, "unknown household code 'H404'");
        Refused(Review(DecisionId).Decide(CaseId, Fielded(ContentArea.FiscalFunds), Decision(DecisionKind.Exit), null, Entries, Inspector(Member.User), Today),
            RefusalKind.Invalid, "does not examine identification and exit");
    }

    [Fact]
    public void Reviews_are_recorded_only_in_the_field() =>
        Refused(Review(DecisionId).Decide(CaseId, Reported(), Decision(DecisionKind.Exit), null, Entries, Inspector(Member.User), Today),
            RefusalKind.Conflict, "only while the inspection is in the field");

    [Fact]
    public void A_survey_in_a_village_counts_for_its_town() =>
        Then(new RecordApprovalSurvey(null, $" {Village} ", 20, 18, null).Decide(SurveyId, Fielded(), Entries, Inspector(Member.User), Today),
            new PublicApprovalSurveyed(SurveyId, InspectionId, 2017, Town, Village, 20, 18, Member.User, Today));

    [Fact]
    public void Only_the_team_records_surveys() =>
        Refused(new RecordApprovalSurvey(Town, null, 20, 18, null).Decide(SurveyId, Fielded(), Entries, InspectionOffice, Today),
            RefusalKind.Forbidden, "only a member of this inspection's team records its surveys");

    [Fact]
    public void A_survey_counts_add_up_and_lie_in_the_inspection_s_towns()
    {
        Refused(new RecordApprovalSurvey(Town, null, 20, 21, null).Decide(SurveyId, Fielded(), Entries, Inspector(Member.User), Today),
            RefusalKind.Invalid, "approving (0 to respondents)");
        Refused(new RecordApprovalSurvey(OtherTown, null, 20, 18, null).Decide(SurveyId, Fielded(), Entries, Inspector(Member.User), Today),
            RefusalKind.Invalid, $"town {OtherTown} is not covered by this inspection");
        Refused(new RecordApprovalSurvey(null, null, 20, 18, null).Decide(SurveyId, Fielded(), Entries, Inspector(Member.User), Today),
            RefusalKind.Invalid, "town is required");
    }

    [Fact]
    public void Surveys_are_recorded_only_in_the_field() =>
        Refused(new RecordApprovalSurvey(Town, null, 20, 18, null).Decide(SurveyId, Formed(), Entries, Inspector(Member.User), Today),
            RefusalKind.Conflict, "only while the inspection is in the field");
}
