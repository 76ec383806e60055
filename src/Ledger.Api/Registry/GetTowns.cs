using Ledger.Api.Http;
using Ledger.Domain.Access;
using Ledger.Api.Auth;
using Ledger.Domain.Registry;
using Ledger.Projections.Registry;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;

namespace Ledger.Api.Registry;

/// <summary>One town with its villages (by status) and the units stationed in it.</summary>
public sealed record TownDetail(
    TownView Town, int VillageCount, int RelativelyPoorVillages, int NonPoorVillages,
    IReadOnlyList<VillageSummary> Villages, IReadOnlyList<UnitSummary> StationedUnits);

public sealed record VillageSummary(string Code, string Name, VillageStatus Status, string StatusLabel)
{
    public static VillageSummary Of(VillageView v) => new(v.Code, v.Name, v.Status, v.StatusLabel);
}

public sealed record UnitSummary(string Code, string Name, UnitKind Kind, string KindLabel)
{
    public static UnitSummary Of(UnitView u) => new(u.Code, u.Name, u.Kind, u.KindLabel);
}

public static class GetTowns
{
    /// <summary>Every town and subdistrict of the caller's county, by code.</summary>
    [WolverineGet("/api/towns")]
    [Authorize(Roles = Roles.Anyone)]
    public static Task<IReadOnlyList<TownView>> List(IQuerySession session, CancellationToken ct) =>
        session.Query<TownView>().OrderBy(t => t.Code).ToListAsync(ct);

    [WolverineGet("/api/towns/{code}")]
    [Authorize(Roles = Roles.Anyone)]
    [ProducesResponseType<TownDetail>(200)]
    public static async Task<IResult> Get(string code, IQuerySession session, CancellationToken ct)
    {
        var town = await session.LoadAsync<TownView>(RegistryIds.Town(session.TenantId, code), ct);
        if (town is null) return ProblemAnswers.NotFound($"no town with code '{code}' in this county").ToResult();
        var villages = await session.Query<VillageView>().Where(v => v.TownCode == code).OrderBy(v => v.Code).ToListAsync(ct);
        var units = await session.Query<UnitView>().Where(u => u.TownCode == code).OrderBy(u => u.Code).ToListAsync(ct);
        return Results.Ok(new TownDetail(town, villages.Count,
            villages.Count(v => v.Status == VillageStatus.RelativelyPoor),
            villages.Count(v => v.Status == VillageStatus.NonPoor),
            villages.Select(VillageSummary.Of).ToList(), units.Select(UnitSummary.Of).ToList()));
    }
}
