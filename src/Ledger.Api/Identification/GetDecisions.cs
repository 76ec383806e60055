using Ledger.Api.Http;
using Ledger.Domain.Access;
using Ledger.Api.Auth;
using Ledger.Domain.Common;
using Ledger.Domain.Identification;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;

namespace Ledger.Api.Identification;

public static class GetDecisions
{
    /// <summary>Decisions, filtered; <c>problem=true</c> keeps those with a problem the ledger sees.</summary>
    [WolverineGet("/api/decisions")]
    [Authorize(Roles = Roles.Anyone)]
    [ProducesResponseType<IReadOnlyList<IdentificationDecision>>(200)]
    public static async Task<IResult> List(string? town, string? village, string? kind, int? year, bool? problem,
        IQuerySession session, Caller caller, CancellationToken ct)
    {
        if (caller.Role is Roles.Inspector) return ProblemAnswers.Forbidden("inspectors review decisions through an inspection").ToResult();
        var query = session.Query<IdentificationDecision>().AsQueryable();
        if (caller.Role == Roles.Respondent)
        {
            // AccessRules.CanReadTownRecord in the database: a town's respondent reads its own decisions; a unit's none.
            var own = caller.Scope is { Kind: ScopeKind.Town } scope ? scope.Code : null;
            query = query.Where(d => d.TownCode == own);
        }
        if (!string.IsNullOrWhiteSpace(town)) query = query.Where(d => d.TownCode == town);
        if (!string.IsNullOrWhiteSpace(village)) query = query.Where(d => d.VillageCode == village);
        if (!string.IsNullOrWhiteSpace(kind))
        {
            if (!Codes.TryParse<DecisionKind>(kind, out var wanted))
                return ProblemAnswers.BadRequest($"kind '{kind}' is not one of: {Codes.Accepted<DecisionKind>()}").ToResult();
            query = query.Where(d => d.Kind == wanted);
        }
        if (year is not null) query = query.Where(d => d.Year == year);
        if (problem is not null) query = query.Where(d => d.HasProblems == problem);
        return Results.Ok(await query.OrderBy(d => d.VillageCode).ThenBy(d => d.OpenedOn).ToListAsync(ct));
    }

    [WolverineGet("/api/decisions/{id}")]
    [Authorize(Roles = Roles.Anyone)]
    [ProducesResponseType<IdentificationDecision>(200)]
    public static async Task<IResult> Get(Guid id, IQuerySession session, Caller caller, CancellationToken ct)
    {
        var decision = await session.LoadAsync<IdentificationDecision>(id, ct);
        return decision is not null && AccessRules.CanReadTownRecord(caller, decision.TownCode)
            ? Results.Ok(decision)
            : ProblemAnswers.NotFound($"no decision {id} in this county").ToResult();
    }
}
