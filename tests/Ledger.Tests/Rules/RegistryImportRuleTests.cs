using Ledger.Domain.Common;
using Ledger.Domain.Registry;

namespace Ledger.Tests.Rules;

public sealed class RegistryImportRuleTests
{
    private static readonly DateOnly Today = new(2026, 11, 27);
    private static readonly RegistryState Empty = new(
        new Dictionary<string, KnownTown>(), new Dictionary<string, KnownVillage>(), new Dictionary<string, KnownUnit>());

    private static RegistryState WithTown(string code) => Empty with
    {
        Towns = new Dictionary<string, KnownTown> { [code] = new(code, "黄磜镇", TownKind.Town, 1) },
    };

    [Fact]
    public void New_towns_start_streams_with_stable_ids()
    {
        var plan = RegistryImport.Plan("440233", "town_code,name,kind\n440233100,黄磜镇,镇\n", Empty, Today);
        Assert.True(plan.IsValid);
        var write = Assert.Single(plan.Writes);
        Assert.Equal(0, write.ExpectedVersion);
        Assert.Equal(RegistryIds.Town("440233", "440233100"), write.StreamId);
        var registered = Assert.IsType<TownRegistered>(Assert.Single(write.Events));
        Assert.Equal(TownKind.Town, registered.Kind);
        Assert.Equal(Today, registered.EffectiveOn);
    }

    [Fact]
    public void A_rename_appends_at_the_known_version()
    {
        var plan = RegistryImport.Plan("440233", "town_code,name,kind,reason\n440233100,黄磜镇（新）,town,更名\n", WithTown("440233100"), Today);
        var write = Assert.Single(plan.Writes);
        Assert.Equal(1, write.ExpectedVersion);
        var renamed = Assert.IsType<TownRenamed>(Assert.Single(write.Events));
        Assert.Equal(("黄磜镇", "黄磜镇（新）", "更名"), (renamed.OldName, renamed.NewName, renamed.Reason));
    }

    [Fact]
    public void A_village_code_must_sit_under_its_town_code()
    {
        var plan = RegistryImport.Plan("440233", "village_code,town_code,name,status\n440233101201,440233100,甲村,non-poor\n", WithTown("440233100"), Today);
        Assert.False(plan.IsValid);
        Assert.Contains("beginning with its town code", Assert.Single(plan.Errors).Reason);
    }

    [Fact]
    public void A_unit_code_equal_to_a_town_code_is_refused_on_its_line()
    {
        var plan = RegistryImport.Plan("440233", "unit_code,name,kind,leading_group_member\ngdj-2,帮扶单位,assistance-unit,否\n440233100,冒名单位,county-department,否\n",
            WithTown("440233100"), Today);
        Assert.False(plan.IsValid);
        var error = Assert.Single(plan.Errors);
        Assert.Equal(3, error.Line);
        Assert.Contains("is the code of a town", error.Reason);
        Assert.Empty(plan.Writes);
    }

    [Fact]
    public void A_town_code_equal_to_a_unit_code_is_refused_on_its_line()
    {
        var withUnit = Empty with
        {
            Units = new Dictionary<string, KnownUnit> { ["440233107"] = new("440233107", "某单位", UnitKind.CountyDepartment, false, null, 1) },
        };
        var plan = RegistryImport.Plan("440233", "town_code,name,kind\n440233100,黄磜镇,镇\n440233107,新镇,镇\n", withUnit, Today);
        var error = Assert.Single(plan.Errors);
        Assert.Equal(3, error.Line);
        Assert.Contains("is the code of a unit", error.Reason);
    }

    [Fact]
    public void A_work_team_needs_its_town()
    {
        var plan = RegistryImport.Plan("440233", "unit_code,name,kind,leading_group_member\nwt,驻镇工作组,work-team,否\n", Empty, Today);
        Assert.Contains("town_code", Assert.Single(plan.Errors).Reason);
    }

    [Fact]
    public void Stable_ids_depend_on_county_kind_and_code()
    {
        Assert.Equal(StableId.For("town", "440233", "1"), StableId.For("town", "440233", "1"));
        Assert.NotEqual(StableId.For("town", "440233", "1"), StableId.For("town", "440229", "1"));
        Assert.NotEqual(StableId.For("town", "440233", "1"), StableId.For("unit", "440233", "1"));
    }

    [Theory]
    [InlineData("relatively-poor", VillageStatus.RelativelyPoor)]
    [InlineData("相对贫困村", VillageStatus.RelativelyPoor)]
    [InlineData("NON-POOR", VillageStatus.NonPoor)]
    public void Codes_accept_the_code_or_the_chinese_label(string text, VillageStatus expected)
    {
        Assert.True(Codes.TryParse<VillageStatus>(text, out var status));
        Assert.Equal(expected, status);
    }
}
