using Ledger.Api.Http;
using Ledger.Api.Security;
using Ledger.Domain.Access;
using Ledger.Api.Auth;
using Ledger.Domain.Common;
using Ledger.Domain.Inspections;
using Ledger.Projections.Inspections;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;

namespace Ledger.Api.Inspections;

public static class GetInspections
{
    /// <summary>Inspections the caller may see, optionally of one year and/or kind, newest plan first.</summary>
    [WolverineGet("/api/inspections")]
    [Authorize(Roles = Roles.Anyone)]
    [ProducesResponseType<IReadOnlyList<InspectionView>>(200)]
    public static async Task<IResult> List(int? year, string? kind, IQuerySession session, Caller caller, CancellationToken ct)
    {
        var query = session.Query<InspectionView>().Readable(caller);
        if (year is not null) query = query.Where(i => i.Year == year);
        if (!string.IsNullOrWhiteSpace(kind))
        {
            if (!Codes.TryParse<InspectionKind>(kind, out var wanted))
                return ProblemAnswers.BadRequest($"kind '{kind}' is not one of: {Codes.Accepted<InspectionKind>()}").ToResult();
            query = query.Where(i => i.Kind == wanted);
        }
        var found = await query.OrderByDescending(i => i.PlannedStart).ToListAsync(ct);
        return Results.Ok(await Trimming.ForAsync(caller, found, session, ct));
    }

    /// <summary>
    /// One inspection, trimmed to the caller's scope (<see cref="Trimming"/>). One it does not concern
    /// answers 404 like one that does not exist (docs/access.md).
    /// </summary>
    [WolverineGet("/api/inspections/{id}")]
    [Authorize(Roles = Roles.Anyone)]
    [ProducesResponseType<InspectionView>(200)]
    public static async Task<IResult> Get(Guid id, IQuerySession session, Caller caller, HttpContext context, CancellationToken ct)
    {
        var inspection = await session.LoadAsync<InspectionView>(id, ct);
        if (inspection is null || !AccessRules.CanRead(caller, inspection))
            return ProblemAnswers.NotFound($"no inspection {id} in this county").ToResult();
        context.Response.Headers.ETag = $"\"{inspection.Version}\"";
        return Results.Ok(await Trimming.ForAsync(caller, inspection, session, ct));
    }
}
