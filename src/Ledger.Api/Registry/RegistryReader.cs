using Ledger.Domain.Registry;
using Ledger.Projections.Registry;
using Marten;
using Marten.Services.BatchQuerying;

namespace Ledger.Api.Registry;

/// <summary>Reads the registry views into the <see cref="RegistryState"/> the domain rules check against.</summary>
public static class RegistryReader
{
    /// <summary>The whole registry of the session's county.</summary>
    public static async Task<RegistryState> LoadAllAsync(IQuerySession session, CancellationToken ct) => From(
        await session.Query<TownView>().ToListAsync(ct),
        await session.Query<VillageView>().ToListAsync(ct),
        await session.Query<UnitView>().ToListAsync(ct));

    /// <summary>Only the entries a command names (unknown codes are simply absent), in one round trip.</summary>
    public static async Task<RegistryState> LoadAsync(IQuerySession session,
        IEnumerable<string?> towns, IEnumerable<string?> units, IEnumerable<string?> villages, CancellationToken ct)
    {
        var batch = session.CreateBatchQuery();
        var registry = Queue(batch, session.TenantId, towns, units, villages);
        if (registry.IsCompleted) return await registry;  // nothing named: nothing to read
        await batch.Execute(ct);
        return await registry;
    }

    /// <summary>The same, queued in a batch the caller executes with its own reads.</summary>
    public static Task<RegistryState> Queue(IBatchedQuery batch, string county,
        IEnumerable<string?> towns, IEnumerable<string?> units, IEnumerable<string?> villages)
    {
        static Guid[] Ids(IEnumerable<string?> codes, Func<string, Guid> id) =>
            codes.OfType<string>().Where(c => c.Length > 0).Distinct().Select(id).ToArray();
        var townIds = Ids(towns, c => RegistryIds.Town(county, c));
        var unitIds = Ids(units, c => RegistryIds.Unit(county, c));
        var villageIds = Ids(villages, c => RegistryIds.Village(county, c));
        return Assemble(
            townIds.Length == 0 ? Task.FromResult<IReadOnlyList<TownView>>([]) : batch.LoadMany<TownView>().ById(townIds),
            villageIds.Length == 0 ? Task.FromResult<IReadOnlyList<VillageView>>([]) : batch.LoadMany<VillageView>().ById(villageIds),
            unitIds.Length == 0 ? Task.FromResult<IReadOnlyList<UnitView>>([]) : batch.LoadMany<UnitView>().ById(unitIds));
    }

    private static async Task<RegistryState> Assemble(Task<IReadOnlyList<TownView>> towns, Task<IReadOnlyList<VillageView>> villages,
        Task<IReadOnlyList<UnitView>> units) => From(await towns, await villages, await units);

    private static RegistryState From(IEnumerable<TownView> towns, IEnumerable<VillageView> villages, IEnumerable<UnitView> units) => new(
        towns.ToDictionary(t => t.Code, t => new KnownTown(t.Code, t.Name, t.Kind, t.Version)),
        villages.ToDictionary(v => v.Code, v => new KnownVillage(v.Code, v.TownCode, v.Name, v.Status,
            v.Pairings.ToDictionary(p => p.UnitCode, p => p.Kind), v.Version)),
        units.ToDictionary(u => u.Code, u => new KnownUnit(u.Code, u.Name, u.Kind, u.LeadingGroupMember, u.TownCode, u.UnitStreamVersion)));
}
