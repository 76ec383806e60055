using Ledger.Domain.Common;

namespace Ledger.Domain.Registry;

/// <summary>镇/街: a town or a subdistrict.</summary>
public enum TownKind
{
    /// <summary>镇</summary>
    [Label("镇")] Town,
    /// <summary>街道</summary>
    [Label("街道")] Subdistrict,
}

/// <summary>村的贫困状态.</summary>
public enum VillageStatus
{
    /// <summary>相对贫困村</summary>
    [Label("相对贫困村")] RelativelyPoor,
    /// <summary>非贫困村</summary>
    [Label("非贫困村")] NonPoor,
}

/// <summary>单位类别.</summary>
public enum UnitKind
{
    /// <summary>县直单位 (incl. city-owned units in the county)</summary>
    [Label("县直单位")] CountyDepartment,
    /// <summary>帮扶单位</summary>
    [Label("帮扶单位")] AssistanceUnit,
    /// <summary>驻镇(街)工作组</summary>
    [Label("驻镇(街)工作组")] WorkTeam,
    /// <summary>其他单位</summary>
    [Label("其他单位")] Other,
}

/// <summary>帮扶关系类别.</summary>
public enum PairingKind
{
    /// <summary>挂钩帮扶</summary>
    [Label("挂钩帮扶")] Linked,
    /// <summary>对口帮扶</summary>
    [Label("对口帮扶")] Counterpart,
}

public static class RegistryIds
{
    public static Guid Town(string county, string townCode) => StableId.For("town", county, townCode);
    public static Guid Village(string county, string villageCode) => StableId.For("village", county, villageCode);
    public static Guid Unit(string county, string unitCode) => StableId.For("unit", county, unitCode);
}
