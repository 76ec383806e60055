using Ledger.Domain.Common;

namespace Ledger.Domain.Registry;

// Registry changes are accountable decisions: each is an event on the stream of the town, village
// or unit it concerns. Stream ids are StableId-derived from the county and the code.

/// <summary>镇（街）登记: a town or subdistrict entered in the county's registry.</summary>
[Label("镇（街）登记")]
public sealed record TownRegistered(Guid TownId, string TownCode, string Name, TownKind Kind, DateOnly EffectiveOn);

/// <summary>镇（街）更名: a town's registered name corrected or changed.</summary>
[Label("镇（街）更名")]
public sealed record TownRenamed(Guid TownId, string TownCode, string OldName, string NewName, DateOnly EffectiveOn, string Reason);

/// <summary>村登记: a village (administrative village) entered with its status.</summary>
[Label("村登记")]
public sealed record VillageRegistered(
    Guid VillageId, string TownCode, string VillageCode, string Name, VillageStatus Status,
    DateOnly EffectiveOn, string? Basis);

/// <summary>村更名: a village's registered name corrected or changed.</summary>
[Label("村更名")]
public sealed record VillageRenamed(
    Guid VillageId, string TownCode, string VillageCode, string OldName, string NewName, DateOnly EffectiveOn, string Reason);

/// <summary>村贫困状态变更: relatively-poor ↔ non-poor, with the date it took effect and its basis (文件依据).</summary>
[Label("村贫困状态变更")]
public sealed record VillageStatusChanged(
    Guid VillageId, string TownCode, string VillageCode, VillageStatus From, VillageStatus To,
    DateOnly EffectiveOn, string Basis);

/// <summary>单位登记: a county department, assistance unit, resident work team or other unit.</summary>
[Label("单位登记")]
public sealed record UnitRegistered(
    Guid UnitId, string UnitCode, string Name, UnitKind Kind, bool LeadingGroupMember, string? TownCode,
    DateOnly EffectiveOn);

/// <summary>单位信息变更: a unit's name, kind, leading-group membership or town changed (all new values).</summary>
[Label("单位信息变更")]
public sealed record UnitDetailsChanged(
    Guid UnitId, string UnitCode, string Name, UnitKind Kind, bool LeadingGroupMember, string? TownCode,
    DateOnly EffectiveOn, string Reason);

/// <summary>结对帮扶: a unit paired with a village (挂钩帮扶/对口帮扶); on the village's stream.</summary>
[Label("结对帮扶")]
public sealed record VillagePaired(
    Guid VillageId, string TownCode, string VillageCode, Guid UnitId, string UnitCode, PairingKind Kind, DateOnly Since);
