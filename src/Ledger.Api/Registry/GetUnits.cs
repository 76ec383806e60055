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

public static class GetUnits
{
    /// <summary>Every unit of the caller's county, by code.</summary>
    [WolverineGet("/api/units")]
    [Authorize(Roles = Roles.Anyone)]
    public static Task<IReadOnlyList<UnitView>> List(IQuerySession session, CancellationToken ct) =>
        session.Query<UnitView>().OrderBy(u => u.Code).ToListAsync(ct);

    [WolverineGet("/api/units/{id}")]
    [Authorize(Roles = Roles.Anyone)]
    [ProducesResponseType<UnitView>(200)]
    public static async Task<IResult> Get(string id, IQuerySession session, CancellationToken ct)
    {
        var unit = await session.LoadAsync<UnitView>(RegistryIds.Unit(session.TenantId, id), ct);
        return unit is null
            ? ProblemAnswers.NotFound($"no unit with code '{id}' in this county").ToResult()
            : Results.Ok(unit);
    }
}
