using Ledger.Domain.Common;
using Ledger.Domain.Identification;
using Ledger.Domain.Registry;
using static Ledger.Domain.Tests.Spec;

namespace Ledger.Domain.Tests.Identification;

/// <summary>Registering and assessing households; opening decisions and recording their steps.</summary>
public sealed class IdentificationDecisionTests
{
    private const string Town = "440233100";
    private const string Village = "440233100201";
    private static readonly Guid HouseholdId = RegisterHousehold.IdOf("440233", "H-001");
    private static readonly Guid DecisionId = Guid.Parse("0190a000-0000-7000-8000-0000000000d1");
    private static readonly Guid VillageStream = RegistryIds.Village("440233", Village);
    private static readonly DateOnly Today = new(2017, 9, 1);
    private static readonly Encryptor NoKey = new("Ledger:Crypto:Key", null);
    private static readonly Encryptor WithKey = new("Ledger:Crypto:Key", plain => $"enc({plain})");
    private static readonly ThreeGuarantees AllSecured = new(true, true, true);

    private static RegistryState Registry(VillageStatus status = VillageStatus.NonPoor) => new(
        new Dictionary<string, KnownTown>(),
        new Dictionary<string, KnownVillage> { [Village] = new(Village, Town, "上坪村", status, new Dictionary<string, PairingKind>(), 4) },
        new Dictionary<string, KnownUnit>());

    private static readonly HouseholdRegistered Registered = new(HouseholdId, "H-001", Town, Village, "张**", 4, null, null, new DateOnly(2017, 3, 1));
    private static readonly HouseholdAssessed Assessed2017 = new(HouseholdId, "H-001", Town, Village, 2017, 3000m, AllSecured, 4, new DateOnly(2017, 4, 1));

    // RegisterHousehold

    [Fact]
    public void A_household_is_registered_with_its_head_masked_and_its_id_number_encrypted() =>
        Then(new RegisterHousehold(" H-001 ", Village, "张三丰", 4, "44023319800101123x").Decide(HouseholdId, null, Registry(), WithKey, Today),
            new HouseholdRegistered(HouseholdId, "H-001", Town, Village, "张**", 4, "4****************X", "enc(44023319800101123X)", Today));

    [Fact]
    public void A_second_registration_of_the_same_code_is_a_conflict() =>
        Refused(new RegisterHousehold("H-001", Village, "张三丰", 4, null).Decide(HouseholdId, Given<Household>(Registered), Registry(), NoKey, Today),
            RefusalKind.Conflict, "household H-001 is already registered");

    [Fact]
    public void A_household_needs_a_known_village_a_size_and_a_key_for_its_id_number()
    {
        Refused(new RegisterHousehold("H-001", "440233999999", "张三丰", 0, null).Decide(HouseholdId, null, Registry(), NoKey, Today),
            RefusalKind.Invalid, "unknown village code '440233999999'");
        Refused(new RegisterHousehold("H-001", Village, "张三丰", 0, null).Decide(HouseholdId, null, Registry(), NoKey, Today),
            RefusalKind.Invalid, "size (people in the household) must be 1–50");
        Refused(new RegisterHousehold("H-001", Village, "张三丰", 4, "440233198001011234").Decide(HouseholdId, null, Registry(), NoKey, Today),
            RefusalKind.Invalid, "no key (Ledger:Crypto:Key) is configured");
    }

    // AssessHousehold

    [Fact]
    public void An_assessment_keeps_the_household_size_unless_a_new_one_is_given() =>
        Then(new AssessHousehold(1, 2017, 3000m, AllSecured, null, new DateOnly(2017, 4, 1)).Decide(Given<Household>(Registered), Today),
            Assessed2017);

    [Fact]
    public void An_assessment_needs_the_three_guarantees_and_is_not_dated_in_the_future()
    {
        Refused(new AssessHousehold(1, 2017, 3000m, null, null, null).Decide(Given<Household>(Registered), Today),
            RefusalKind.Invalid, "guarantees {schooling, medical, housing} are required");
        Refused(new AssessHousehold(1, 2017, 3000m, AllSecured, null, Today.AddDays(1)).Decide(Given<Household>(Registered), Today),
            RefusalKind.Invalid, "assessedOn is in the future");
    }

    // OpenDecision

    private static OpenDecision HouseholdEntry(int year = 2017) => new(DecisionSubject.Household, DecisionKind.Entry, year, null, "H-001", null, null, null);
    private static OpenDecision VillageEntry => new(DecisionSubject.Village, DecisionKind.Entry, 2017, Village, null, 5000m, 800, 120);

    [Fact]
    public void A_household_decision_takes_its_figures_from_the_assessment_of_its_year() =>
        Then(HouseholdEntry().Decide(DecisionId, Given<Household>(Registered, Assessed2017), Registry(), [], [], 7, Today),
            new DecisionOpened(DecisionId, DecisionSubject.Household, DecisionKind.Entry, 2017, Town, Village, HouseholdId, "H-001", 4,
                new DecisionBasis(3000m, AllSecured, null, null), 7, Today));

    [Fact]
    public void A_village_decision_states_its_own_figures() =>
        Then(VillageEntry.Decide(DecisionId, null, Registry(), [], [], 7, Today),
            new DecisionOpened(DecisionId, DecisionSubject.Village, DecisionKind.Entry, 2017, Town, Village, null, null, 120,
                new DecisionBasis(5000m, null, 800, 120), 7, Today));

    [Fact]
    public void An_unknown_household_is_not_found() =>
        Refused(HouseholdEntry().Decide(DecisionId, null, Registry(), [], [], 7, Today), RefusalKind.NotFound, "no household H-001 in this county");

    [Fact]
    public void A_decision_needs_its_subject_and_for_a_village_no_household() =>
        Refused(new OpenDecision(null, DecisionKind.Entry, 2017, Village, null, null, null, null).Decide(DecisionId, null, Registry(), [], [], 7, Today),
            RefusalKind.Invalid, "subject is required");

    [Fact]
    public void A_household_without_an_assessment_for_the_year_or_already_enrolled_cannot_enter()
    {
        Refused(HouseholdEntry(2016).Decide(DecisionId, Given<Household>(Registered, Assessed2017), Registry(), [], [], 7, Today),
            RefusalKind.Conflict, "has no assessment (income, three guarantees) for 2016");
        var enrolled = Completed(Given<IdentificationDecision>(HouseholdOpened));
        Refused(HouseholdEntry().Decide(DecisionId, Given<Household>(Registered, Assessed2017), Registry(), [], [enrolled], 7, Today),
            RefusalKind.Conflict, "is already enrolled");
    }

    [Fact]
    public void A_village_already_relatively_poor_cannot_enter_again() =>
        Refused(VillageEntry.Decide(DecisionId, null, Registry(VillageStatus.RelativelyPoor), [], [], 7, Today),
            RefusalKind.Conflict, "is already a relatively-poor village");

    [Fact]
    public void A_household_status_is_that_of_its_last_completed_decision()
    {
        Assert.Equal(HouseholdStatus.NotEnrolled, OpenDecision.HouseholdStatusOf([Given<IdentificationDecision>(HouseholdOpened)]));
        Assert.Equal(HouseholdStatus.Enrolled, OpenDecision.HouseholdStatusOf([Completed(Given<IdentificationDecision>(HouseholdOpened))]));
    }

    // RecordDecisionStep

    private static readonly DecisionOpened HouseholdOpened = new(DecisionId, DecisionSubject.Household, DecisionKind.Entry, 2017, Town, Village,
        HouseholdId, "H-001", 4, new DecisionBasis(3000m, AllSecured, null, null), 7, new DateOnly(2017, 5, 1));
    private static readonly DecisionOpened VillageOpened = new(DecisionId, DecisionSubject.Village, DecisionKind.Entry, 2017, Town, Village,
        null, null, 120, new DecisionBasis(5000m, null, 800, 120), 7, new DateOnly(2017, 5, 1));

    private static DecisionStepRecorded StepOf(DecisionOpened d, DecisionStep step, DateOnly date, string by = "扶贫办") =>
        new(d.DecisionId, d.Subject, d.Kind, d.Year, d.TownCode, d.VillageCode, d.HouseholdId, step, date, null, null, null, null, null, null, [], by);

    private static IdentificationDecision Completed(IdentificationDecision d) => Procedures.For(d.Subject, d.Kind)
        .Select((s, i) => StepOf(HouseholdOpened, s, new DateOnly(2017, 6, 1).AddDays(i * 10)))
        .Aggregate(d, (current, e) => current.Apply(e));

    private static RecordDecisionStep Step(DecisionStep step, DateOnly date) => new(1, step, date, null, null, null, null, null, null, null);

    [Fact]
    public void A_step_is_recorded_as_it_happened() =>
        Then(Step(DecisionStep.Application, new DateOnly(2017, 5, 2)).Decide(Given<IdentificationDecision>(HouseholdOpened), null, PovertyOffice, Today),
            StepOf(HouseholdOpened, DecisionStep.Application, new DateOnly(2017, 5, 2)));

    [Fact]
    public void The_last_step_of_a_village_decision_changes_the_village_status_in_the_registry()
    {
        var current = Given<IdentificationDecision>(VillageOpened,
            StepOf(VillageOpened, DecisionStep.Application, new DateOnly(2017, 5, 2)),
            StepOf(VillageOpened, DecisionStep.TownReview, new DateOnly(2017, 5, 10)),
            StepOf(VillageOpened, DecisionStep.CountyApproval, new DateOnly(2017, 5, 20)));
        var decision = Step(DecisionStep.RegistryEntry, new DateOnly(2017, 5, 25))
            .Decide(current, new VillageRead(VillageStream, VillageStatus.NonPoor, 4), PovertyOffice, Today);
        Then(decision, StepOf(VillageOpened, DecisionStep.RegistryEntry, new DateOnly(2017, 5, 25)));
        var other = Assert.Single(decision.OtherStreams);
        Assert.Equal(VillageStream, other.StreamId);
        Assert.Equal(4, other.ReadAtVersion);
        Assert.Equal(Describe(new VillageStatusChanged(VillageStream, Town, Village, VillageStatus.NonPoor, VillageStatus.RelativelyPoor,
                new DateOnly(2017, 5, 25), $"识别决定 {DecisionId}（县审批公告 2017-05-20）")),
            Describe(Assert.Single(other.Events)));
    }

    [Fact]
    public void A_step_short_of_the_last_leaves_the_village_alone() =>
        Assert.Empty(Step(DecisionStep.Application, new DateOnly(2017, 5, 2))
            .Decide(Given<IdentificationDecision>(VillageOpened), new VillageRead(VillageStream, VillageStatus.NonPoor, 4), PovertyOffice, Today)
            .OtherStreams);

    [Fact]
    public void A_town_records_steps_of_its_own_decisions_only() =>
        Refused(Step(DecisionStep.Application, new DateOnly(2017, 5, 2)).Decide(Given<IdentificationDecision>(HouseholdOpened), null, Respondent("440233101"), Today),
            RefusalKind.Forbidden, "a town records steps of its own decisions only");

    [Fact]
    public void A_step_outside_the_procedure_or_in_the_future_is_invalid()
    {
        Refused(Step(DecisionStep.RegistryRemoval, new DateOnly(2017, 5, 2)).Decide(Given<IdentificationDecision>(HouseholdOpened), null, PovertyOffice, Today),
            RefusalKind.Invalid, "is not a step of a");
        Refused(Step(DecisionStep.Application, Today.AddDays(1)).Decide(Given<IdentificationDecision>(HouseholdOpened), null, PovertyOffice, Today),
            RefusalKind.Invalid, "date is in the future");
    }

    [Fact]
    public void A_step_is_recorded_once_and_none_after_the_decision_is_complete()
    {
        var applied = Given<IdentificationDecision>(HouseholdOpened, StepOf(HouseholdOpened, DecisionStep.Application, new DateOnly(2017, 5, 2)));
        Refused(Step(DecisionStep.Application, new DateOnly(2017, 5, 3)).Decide(applied, null, PovertyOffice, Today),
            RefusalKind.Conflict, "is already recorded");
        Refused(Step(DecisionStep.Application, new DateOnly(2017, 5, 3)).Decide(Completed(Given<IdentificationDecision>(HouseholdOpened)), null, PovertyOffice, Today),
            RefusalKind.Conflict, "the decision is complete");
    }
}
