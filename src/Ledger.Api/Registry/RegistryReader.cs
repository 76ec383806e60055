using Ledger.Domain.Registry;
using Ledger.Projections.Registry;
using Marten;

namespace Ledger.Api.Registry;

/// <summary>Reads the registry views into the <see cref="RegistryState"/> the domain rules check against.</summary>
public static class RegistryReader
{
    /// <summary>The whole registry of the session's county.</summary>
    public static async Task<RegistryState> LoadAllAsync(IQuerySession session, CancellationToken ct) => From(
        await session.Query<TownView>().ToListAsync(ct),
        await session.Query<VillageView>().ToListAsync(ct),
        await session.Query<UnitView>().ToListAsync(ct));

    /// <summary>Only the entries a command names (unknown codes are simply absent).</summary>
    public static async Task<RegistryState> LoadAsync(IQuerySession session,
        IEnumerable<string?> towns, IEnumerable<string?> units, IEnumerable<string?> villages, CancellationToken ct)
    {
        var county = session.TenantId;
        static Guid[] Ids(IEnumerable<string?> codes, Func<string, Guid> id) =>
            codes.OfType<string>().Where(c => c.Length > 0).Distinct().Select(id).ToArray();
        var townIds = Ids(towns, c => RegistryIds.Town(county, c));
        var unitIds = Ids(units, c => RegistryIds.Unit(county, c));
        var villageIds = Ids(villages, c => RegistryIds.Village(county, c));
        return From(
            townIds.Length == 0 ? [] : await session.LoadManyAsync<TownView>(ct, townIds),
            villageIds.Length == 0 ? [] : await session.LoadManyAsync<VillageView>(ct, villageIds),
            unitIds.Length == 0 ? [] : await session.LoadManyAsync<UnitView>(ct, unitIds));
    }

    private static RegistryState From(IEnumerable<TownView> towns, IEnumerable<VillageView> villages, IEnumerable<UnitView> units) => new(
        towns.ToDictionary(t => t.Code, t => new KnownTown(t.Code, t.Name, t.Kind, t.Version)),
        villages.ToDictionary(v => v.Code, v => new KnownVillage(v.Code, v.TownCode, v.Name, v.Status,
            v.Pairings.ToDictionary(p => p.UnitCode, p => p.Kind), v.Version)),
        units.ToDictionary(u => u.Code, u => new KnownUnit(u.Code, u.Name, u.Kind, u.LeadingGroupMember, u.TownCode, u.UnitStreamVersion)));
}
