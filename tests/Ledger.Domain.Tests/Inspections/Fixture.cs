using Ledger.Domain.Inspections;
using Ledger.Domain.Registry;

namespace Ledger.Domain.Tests.Inspections;

/// <summary>An inspection of one town and one unit in 2017, its team, and the registry entries around it.</summary>
public static class Fixture
{
    public static readonly Guid InspectionId = Guid.Parse("0190b000-0000-7000-8000-000000000001");
    public static readonly Guid OtherInspectionId = Guid.Parse("0190b000-0000-7000-8000-000000000009");
    public static readonly Guid CaseId = Guid.Parse("0190b000-0000-7000-8000-000000000002");
    public const string Town = "440233100";
    public const string OtherTown = "440233101";
    public const string Village = "440233100201";
    public const string OtherVillage = "440233101201";
    public const string InspectedUnit = "u-inspected";
    public const string LeadingUnit = "u-lead";
    public const string OrdinaryUnit = "u-plain";
    public static readonly DateOnly PlannedOn = new(2017, 6, 1);
    public static readonly DateOnly InField = new(2017, 7, 1);
    public static readonly DateOnly Today = new(2017, 7, 10);

    public static readonly TeamMember Leader = new("li.leader", "李组长", LeadingUnit, null);
    public static readonly TeamMember Member = new("li.member", "李组员", LeadingUnit, null);

    public static readonly RegistryState Entries = new(
        new Dictionary<string, KnownTown>
        {
            [Town] = new(Town, "丰城镇", TownKind.Town, 1),
            [OtherTown] = new(OtherTown, "马市镇", TownKind.Town, 1),
        },
        new Dictionary<string, KnownVillage>
        {
            [Village] = new(Village, Town, "黄塘村", VillageStatus.RelativelyPoor, new Dictionary<string, PairingKind>(), 1),
            [OtherVillage] = new(OtherVillage, OtherTown, "石岭村", VillageStatus.NonPoor, new Dictionary<string, PairingKind>(), 1),
        },
        new Dictionary<string, KnownUnit>
        {
            [InspectedUnit] = new(InspectedUnit, "县水务局", UnitKind.CountyDepartment, true, null, 1),
            [LeadingUnit] = new(LeadingUnit, "县扶贫办", UnitKind.CountyDepartment, true, null, 1),
            [OrdinaryUnit] = new(OrdinaryUnit, "县供销社", UnitKind.Other, false, null, 1),
        });

    public static InspectionPlanned PlannedEvent(params ContentArea[] areas) => new(InspectionId, InspectionKind.Comprehensive, null, 2017,
        [Town], [InspectedUnit], areas.Length == 0 ? Enum.GetValues<ContentArea>() : areas, [new Responsibility("识别退出", "督查室")], [],
        new DateOnly(2017, 7, 1), new DateOnly(2017, 7, 31), false, null, PlannedOn);

    public static readonly InspectionTeamFormed TeamFormed = new(InspectionId, 2017, Leader, [Member], PlannedOn);
    public static readonly InspectionFieldworkStarted FieldworkStarted = new(InspectionId, 2017, InspectionKind.Comprehensive,
        [Town], [InspectedUnit], InField);

    public static Inspection JustPlanned() => Spec.Given<Inspection>(PlannedEvent());
    public static Inspection Formed() => Spec.Given<Inspection>(PlannedEvent(), TeamFormed);
    public static Inspection Fielded(params ContentArea[] areas) => Spec.Given<Inspection>(PlannedEvent(areas), TeamFormed, FieldworkStarted);

    public static InspectionReportSubmitted Report(params Guid[] cases) => new(InspectionId, 2017, "情况", cases.Select(c => new ReportProblem(c, "问题")).ToList(),
        "意见", "", Leader.User, new DateOnly(2017, 8, 1));

    public static Inspection Reported() => Spec.Given<Inspection>(PlannedEvent(), TeamFormed, FieldworkStarted, Report());

    public static FindingRecorded Finding(Guid? caseId = null, Guid? inspectionId = null, string? town = Town, string? unit = null) =>
        new(caseId ?? CaseId, inspectionId ?? InspectionId, 2017, town, unit, town is null ? null : Village, ContentArea.IdentificationAndExit,
            InspectionMethod.DocumentReview, "公示未满7天", Severity.Serious, [], Member.User, InField);
}
