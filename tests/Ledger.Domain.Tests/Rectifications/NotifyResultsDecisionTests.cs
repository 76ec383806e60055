using Ledger.Domain.Common;
using Ledger.Domain.Inspections;
using Ledger.Domain.Rectifications;
using static Ledger.Domain.Tests.Inspections.Fixture;
using static Ledger.Domain.Tests.Spec;

namespace Ledger.Domain.Tests.Rectifications;

/// <summary>Results notified after the report: notices on the inspection, a requirement appended to each case required.</summary>
public sealed class NotifyResultsDecisionTests
{
    private static readonly Guid UnitCase = Guid.Parse("0190b000-0000-7000-8000-000000000008");
    private static readonly DateOnly NotifiedOn = new(2017, 8, 2);
    private static readonly DateOnly Deadline = new(2017, 8, 31);

    private static IReadOnlyDictionary<Guid, CaseAtVersion> Read(params (Case Case, long Version)[] cases) =>
        cases.ToDictionary(c => c.Case.Id, c => new CaseAtVersion(c.Case, c.Version));

    private static readonly Case TownFinding = Given<Case>(Finding());
    private static readonly Case UnitFinding = Given<Case>(Finding(UnitCase, town: null, unit: InspectedUnit));

    private static NotifyResults Notify(params RecipientInput[] recipients) => new(5, NotifiedOn, recipients);
    private static RecipientInput ToTown(params RequirementInput[] requirements) => new($" {Town} ", null, " 总体较好 ", [" 公示规范 "], requirements);
    private static RequirementInput Require(Guid caseId, DateOnly? deadline = null) => new(caseId, " 重新公示 ", deadline ?? Deadline);

    [Fact]
    public void Each_recipient_gets_a_notice_and_each_required_case_a_requirement_at_the_version_read()
    {
        var decision = Notify(ToTown(Require(CaseId)), new RecipientInput(null, InspectedUnit, "整改", null, [Require(UnitCase)]))
            .Decide(Reported(), Read((TownFinding, 1), (UnitFinding, 3)), NotifiedOn);
        Then(decision,
            new InspectionResultsNotified(InspectionId, 2017, Town, null, "总体较好", ["公示规范"], [CaseId], NotifiedOn),
            new InspectionResultsNotified(InspectionId, 2017, null, InspectedUnit, "整改", [], [UnitCase], NotifiedOn));
        Assert.Equal(
            [
                $"{CaseId} at 1: " + Describe(new RectificationRequired(CaseId, InspectionId, 2017, Town, null, Village, Town, null,
                    "重新公示", Deadline, NotifiedOn)),
                $"{UnitCase} at 3: " + Describe(new RectificationRequired(UnitCase, InspectionId, 2017, null, InspectedUnit, null, null,
                    InspectedUnit, "重新公示", Deadline, NotifiedOn)),
            ],
            decision.OtherStreams.Select(s => $"{s.StreamId} at {s.ReadAtVersion}: " + string.Join(", ", s.Events.Select(Describe))));
    }

    [Fact]
    public void A_notice_without_requirements_appends_to_no_case()
    {
        var decision = Notify(ToTown()).Decide(Reported(), Read(), NotifiedOn);
        Then(decision, new InspectionResultsNotified(InspectionId, 2017, Town, null, "总体较好", ["公示规范"], [], NotifiedOn));
        Assert.Empty(decision.OtherStreams);
    }

    [Fact]
    public void A_required_case_belongs_to_this_inspection_and_its_recipient()
    {
        var elsewhere = Given<Case>(Finding(UnitCase, OtherInspectionId));
        Refused(Notify(ToTown(Require(UnitCase))).Decide(Reported(), Read((elsewhere, 1)), NotifiedOn),
            RefusalKind.Invalid, $"recipients[0].requirements[0]: case {UnitCase} is not a record of this inspection");
        Refused(Notify(ToTown(Require(UnitCase))).Decide(Reported(), Read(), NotifiedOn),
            RefusalKind.Invalid, $"case {UnitCase} is not a record of this inspection");
        Refused(Notify(ToTown(Require(UnitCase))).Decide(Reported(), Read((UnitFinding, 1)), NotifiedOn),
            RefusalKind.Invalid, $"case {UnitCase} concerns {InspectedUnit}, not this recipient");
        Refused(Notify(new RecipientInput(OtherTown, null, "x", null, [])).Decide(Reported(), Read(), NotifiedOn),
            RefusalKind.Invalid, $"town {OtherTown} was not inspected by this inspection");
        Refused(new NotifyResults(5, NotifiedOn.AddDays(1), [ToTown()]).Decide(Reported(), Read(), NotifiedOn),
            RefusalKind.Invalid, "notifiedOn is in the future");
    }

    [Fact]
    public void Results_follow_the_report() =>
        Refused(Notify(ToTown()).Decide(Fielded(), Read(), NotifiedOn), RefusalKind.Conflict, "results are notified after the report");

    [Fact]
    public void A_deadline_before_the_notice_or_a_second_requirement_on_a_case_is_a_conflict()
    {
        Refused(Notify(ToTown(Require(CaseId, new DateOnly(2017, 8, 1)))).Decide(Reported(), Read((TownFinding, 1)), NotifiedOn),
            RefusalKind.Conflict, "deadline 2017-08-01 is before the notification date 2017-08-02");
        var required = Given<Case>(Finding(), new RectificationRequired(CaseId, InspectionId, 2017, Town, null, Village, Town, null,
            "重新公示", Deadline, NotifiedOn));
        Refused(Notify(ToTown(Require(CaseId))).Decide(Reported(), Read((required, 2)), NotifiedOn),
            RefusalKind.Conflict, $"case {CaseId} already has a rectification requirement");
    }
}
