using Ledger.Domain.Common;
using Ledger.Domain.Inspections;
using Ledger.Domain.Registry;

namespace Ledger.Tests.Rules;

public sealed class InspectionRuleTests
{
    private static readonly RegistryState Registry = new(
        new Dictionary<string, KnownTown> { ["440233100"] = new("440233100", "黄磜镇", TownKind.Town, 1) },
        new Dictionary<string, KnownVillage>
        {
            ["440233105201"] = new("440233105201", "440233105", "村", VillageStatus.RelativelyPoor,
                new Dictionary<string, PairingKind> { ["czj"] = PairingKind.Linked }, 2),
        },
        new Dictionary<string, KnownUnit>
        {
            ["czj"] = new("czj", "县财政局", UnitKind.CountyDepartment, true, null, 1),
            ["gdj"] = new("gdj", "县供电局", UnitKind.AssistanceUnit, false, null, 1),
            ["wt-100"] = new("wt-100", "驻黄磜镇工作组", UnitKind.WorkTeam, false, "440233100", 1),
        });

    private static Inspection Planned(string[] towns, string[] units) => Inspection.Create(new InspectionPlanned(
        Guid.NewGuid(), InspectionKind.Comprehensive, null, 2017, towns, units, Enum.GetValues<ContentArea>(),
        [new Responsibility("i", "o")], [], new DateOnly(2017, 7, 1), new DateOnly(2017, 7, 9), false, null, new DateOnly(2017, 6, 1)));

    [Fact]
    public void A_member_of_an_inspected_unit_or_its_town_work_team_is_a_conflict()
    {
        var inspection = Planned(["440233100"], ["czj"]);
        var conflicts = TeamRules.Conflicts(inspection,
            [new TeamMember("a", "甲", "czj", null), new TeamMember("b", "乙", "wt-100", null)], Registry).ToList();
        Assert.Contains(conflicts, c => c.StartsWith("甲 (a) belongs to unit czj"));
        Assert.Contains(conflicts, c => c.StartsWith("乙 (b) belongs to the work team stationed in town 440233100"));
    }

    [Fact]
    public void A_leading_group_member_unit_outside_the_scope_is_no_conflict()
    {
        var inspection = Planned(["440233100"], []);
        Assert.Empty(TeamRules.Conflicts(inspection, [new TeamMember("a", "甲", "czj", null)], Registry));
        Assert.Single(TeamRules.Conflicts(inspection, [new TeamMember("b", "乙", "gdj", null)], Registry));
    }

    [Fact]
    public void A_village_paired_with_a_covered_unit_is_in_scope()
    {
        Assert.Empty(Planned([], ["czj"]).OutOfScope(null, null, "440233105201", Registry));
        Assert.Single(Planned(["440233100"], []).OutOfScope(null, null, "440233105201", Registry));
    }

    [Theory]
    [InlineData(new[] { FundIrregularity.Idle }, Severity.Minor)]
    [InlineData(new[] { FundIrregularity.NotDisclosed, FundIrregularity.PersonalAccount }, Severity.Serious)]
    [InlineData(new[] { FundIrregularity.Idle, FundIrregularity.Fraud }, Severity.Grave)]
    public void Funding_problems_get_a_default_severity(FundIrregularity[] irregularities, Severity expected) =>
        Assert.Equal(expected, FundingRules.DefaultSeverity(irregularities));

    [Fact]
    public void Amounts_keep_to_fen()
    {
        Assert.True(new Checks().Amount(12.34m, "x").Ok);
        Assert.False(new Checks().Amount(12.345m, "x").Ok);
        Assert.False(new Checks().Amount(-0.01m, "x").Ok);
    }

    [Fact]
    public void An_amended_funding_check_keeps_its_idle_months_unless_the_irregularities_change()
    {
        Assert.Equal(5, FundingRules.IdleMonthsAfter(5, null, null));
        Assert.Equal(7, FundingRules.IdleMonthsAfter(5, null, 7));
        Assert.Null(FundingRules.IdleMonthsAfter(5, [FundIrregularity.Diverted], null));
    }
}
