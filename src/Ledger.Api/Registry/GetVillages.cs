using Ledger.Api.Http;
using Ledger.Domain.Access;
using Ledger.Api.Auth;
using Ledger.Domain.Common;
using Ledger.Domain.Registry;
using Ledger.Projections.Registry;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;

namespace Ledger.Api.Registry;

public static class GetVillages
{
    /// <summary>Villages of the caller's county, optionally of one town and/or one status (code or Chinese label).</summary>
    [WolverineGet("/api/villages")]
    [Authorize(Roles = Roles.Anyone)]
    [ProducesResponseType<IReadOnlyList<VillageView>>(200)]
    public static async Task<IResult> List(string? town, string? status, IQuerySession session, CancellationToken ct)
    {
        var query = session.Query<VillageView>().AsQueryable();
        if (!string.IsNullOrWhiteSpace(town)) query = query.Where(v => v.TownCode == town);
        if (!string.IsNullOrWhiteSpace(status))
        {
            if (!Codes.TryParse<VillageStatus>(status, out var wanted))
                return ProblemAnswers.BadRequest($"status '{status}' is not one of: {Codes.Accepted<VillageStatus>()}").ToResult();
            query = query.Where(v => v.Status == wanted);
        }
        return Results.Ok(await query.OrderBy(v => v.Code).ToListAsync(ct));
    }

    [WolverineGet("/api/villages/{code}")]
    [Authorize(Roles = Roles.Anyone)]
    [ProducesResponseType<VillageView>(200)]
    public static async Task<IResult> Get(string code, IQuerySession session, CancellationToken ct)
    {
        var village = await session.LoadAsync<VillageView>(RegistryIds.Village(session.TenantId, code), ct);
        return village is null
            ? ProblemAnswers.NotFound($"no village with code '{code}' in this county").ToResult()
            : Results.Ok(village);
    }
}
