using System.Text.Json;
using Ledger.Api.Auth;
using Ledger.Api.Common;
using Ledger.Domain.Common;
using Ledger.Domain.Inspections;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;

namespace Ledger.Api.Cases;

/// <summary>One event of a case's history, with who wrote it and when.</summary>
public sealed record CaseHistoryEntry(
    long Version, long Sequence, string Type, string Label, DateTimeOffset Timestamp,
    string? User, string? Role, string? CorrelationId, object Data);

/// <summary>A case as it stands now, and every event that made it so.</summary>
public sealed record CaseAnswer(Case Case, IReadOnlyList<CaseHistoryEntry> History);

public static class GetCase
{
    [WolverineGet("/api/cases/{id}")]
    [Authorize(Roles = Roles.Anyone)]
    [ProducesResponseType<CaseAnswer>(200)]
    [ProducesResponseType<ProblemDetails>(403)]
    [ProducesResponseType<ProblemDetails>(404)]
    public static async Task<IResult> Get(Guid id, IQuerySession session, HttpContext context, CancellationToken ct)
    {
        var current = await session.LoadAsync<Case>(id, ct);
        if (current is null) return ProblemAnswers.NotFound($"no case {id} in this county").ToResult();
        var inspection = await session.LoadAsync<Inspection>(current.InspectionId, ct);
        if (!Access.CanRead(Caller.From(context.User), current, inspection))
            return ProblemAnswers.Forbidden("this case does not concern you").ToResult();

        var events = await session.Events.FetchStreamAsync(id, token: ct);
        var history = events.Select(e => new CaseHistoryEntry(
            e.Version, e.Sequence, e.EventTypeName, EventLabels.Of(e.EventType), e.Timestamp, e.UserName,
            e.Headers?.GetValueOrDefault(ActorMiddleware.RoleHeader)?.ToString(), e.CorrelationId, e.Data)).ToList();
        return Results.Ok(new CaseAnswer(current, history));
    }
}
