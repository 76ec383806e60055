using Ledger.Domain.Common;
using Ledger.Domain.Inspections;
using static Ledger.Domain.Tests.Inspections.Fixture;
using static Ledger.Domain.Tests.Spec;

namespace Ledger.Domain.Tests.Inspections;

/// <summary>An inspection's own stream: planned, team formed, field work started.</summary>
public sealed class InspectionDecisionTests
{
    private static PlanInspection Plan(InspectionKind? kind = InspectionKind.Comprehensive, IReadOnlyList<string>? towns = null,
        IReadOnlyList<int>? areas = null, bool? cross = null, string? inspectingTown = null, string? topic = null) =>
        new(kind, topic, 2017, towns ?? [$" {Town} "], [InspectedUnit], areas, [new Responsibility(" 识别退出 ", "督查室")], [" 按时报告 "],
            new DateOnly(2017, 7, 1), new DateOnly(2017, 7, 31), cross, inspectingTown);

    [Fact]
    public void A_comprehensive_plan_without_areas_examines_all_eight_trimmed() =>
        Then(Plan().Decide(InspectionId, Entries, PlannedOn),
            new InspectionPlanned(InspectionId, InspectionKind.Comprehensive, null, 2017, [Town], [InspectedUnit],
                Enum.GetValues<ContentArea>(), [new Responsibility("识别退出", "督查室")], ["按时报告"],
                new DateOnly(2017, 7, 1), new DateOnly(2017, 7, 31), false, null, PlannedOn));

    [Fact]
    public void A_cross_inspection_keeps_its_inspecting_town_and_the_areas_in_order() =>
        Then(Plan(InspectionKind.Special, areas: [7, 4], cross: true, inspectingTown: OtherTown, topic: "资金").Decide(InspectionId, Entries, PlannedOn),
            new InspectionPlanned(InspectionId, InspectionKind.Special, "资金", 2017, [Town], [InspectedUnit],
                [ContentArea.IdentificationAndExit, ContentArea.FiscalFunds], [new Responsibility("识别退出", "督查室")], ["按时报告"],
                new DateOnly(2017, 7, 1), new DateOnly(2017, 7, 31), true, OtherTown, PlannedOn));

    [Fact]
    public void A_plan_names_known_towns_and_existing_areas()
    {
        Refused(Plan(towns: ["440299999"]).Decide(InspectionId, Entries, PlannedOn), RefusalKind.Invalid, "unknown town code '440299999'");
        Refused(Plan(areas: [9]).Decide(InspectionId, Entries, PlannedOn), RefusalKind.Invalid, "content area 9 does not exist");
        Refused(Plan(InspectionKind.Special).Decide(InspectionId, Entries, PlannedOn), RefusalKind.Invalid, "topic (专项督查 needs its topic)");
    }

    [Fact]
    public void In_a_cross_inspection_a_town_never_inspects_itself() =>
        Refused(Plan(cross: true, inspectingTown: Town).Decide(InspectionId, Entries, PlannedOn),
            RefusalKind.Invalid, "a town never inspects itself");

    [Fact]
    public void A_team_from_leading_group_units_is_formed() =>
        Then(new FormTeam(1, Leader, [Member]).Decide(JustPlanned(), Entries, PlannedOn),
            new InspectionTeamFormed(InspectionId, 2017, Leader, [Member], PlannedOn));

    [Fact]
    public void A_team_needs_a_leader_from_a_known_unit()
    {
        Refused(new FormTeam(1, null, [Member]).Decide(JustPlanned(), Entries, PlannedOn), RefusalKind.Invalid, "the team needs a leader");
        Refused(new FormTeam(1, Leader with { UnitCode = "u-none" }, []).Decide(JustPlanned(), Entries, PlannedOn),
            RefusalKind.Invalid, "unknown unit code 'u-none'");
    }

    [Fact]
    public void Nobody_inspects_their_own_unit_and_only_leading_group_units_send_people()
    {
        Refused(new FormTeam(1, Leader with { UnitCode = InspectedUnit }, []).Decide(JustPlanned(), Entries, PlannedOn),
            RefusalKind.Conflict, "which this inspection inspects");
        Refused(new FormTeam(1, Leader with { UnitCode = OrdinaryUnit }, []).Decide(JustPlanned(), Entries, PlannedOn),
            RefusalKind.Conflict, "not a leading-group member unit");
    }

    [Fact]
    public void The_team_is_not_changed_once_in_the_field() =>
        Refused(new FormTeam(3, Leader, []).Decide(Fielded(), Entries, Today), RefusalKind.Conflict, "before field work starts");

    [Fact]
    public void The_leader_starts_the_field_work() =>
        Then(new StartFieldwork(2, InField).Decide(Formed(), Inspector(Leader.User), Today),
            new InspectionFieldworkStarted(InspectionId, 2017, InspectionKind.Comprehensive, [Town], [InspectedUnit], InField));

    [Fact]
    public void The_office_starts_it_today_when_no_date_is_given() =>
        Then(new StartFieldwork(2, null).Decide(Formed(), InspectionOffice, Today),
            new InspectionFieldworkStarted(InspectionId, 2017, InspectionKind.Comprehensive, [Town], [InspectedUnit], Today));

    [Fact]
    public void A_member_who_is_not_the_leader_may_not_start_it() =>
        Refused(new StartFieldwork(2, null).Decide(Formed(), Inspector(Member.User), Today), RefusalKind.Forbidden, "only the team leader");

    [Fact]
    public void Field_work_starts_neither_in_the_future_nor_in_another_year()
    {
        Refused(new StartFieldwork(2, Today.AddDays(1)).Decide(Formed(), InspectionOffice, Today), RefusalKind.Invalid, "in the future");
        Refused(new StartFieldwork(2, new DateOnly(2016, 12, 31)).Decide(Formed(), InspectionOffice, Today), RefusalKind.Invalid, "year 2017");
    }

    [Fact]
    public void Field_work_waits_for_the_team_and_starts_once()
    {
        Refused(new StartFieldwork(1, null).Decide(JustPlanned(), InspectionOffice, Today), RefusalKind.Conflict, "the team has not been formed yet");
        Refused(new StartFieldwork(3, null).Decide(Fielded(), InspectionOffice, Today), RefusalKind.Conflict, "already");
    }
}
