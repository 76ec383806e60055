using Microsoft.AspNetCore.Http.Timeouts;
using Ledger.Api.Setup;
using Ledger.Api.Http;
using Ledger.Api.Security;
using Ledger.Domain.Access;
using System.Text;
using System.Text.Json;
using Ledger.Api.Auth;
using Ledger.Projections.Cases;
using Ledger.Projections.Inspections;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using Wolverine.Http;

namespace Ledger.Api.Cases;

/// <summary>A case as it stands (or stood), and every event that made it so.</summary>
public sealed record CaseAnswer(CaseView Case, IReadOnlyList<EventLine> History);

public static class GetCase
{
    /// <summary>Loads a case the caller may read: now, or as it stood at <c>asOf</c> or after event <c>version</c>.</summary>
    public static async Task<(CaseView? Case, IResult? Refusal)> ReadableAsync(Guid id, DateTimeOffset? asOf, long? version,
        IQuerySession session, Caller caller, CancellationToken ct, Task<CaseView?>? loaded = null)
    {
        var current = await (loaded ?? session.LoadAsync<CaseView>(id, ct));
        var inspection = current is null ? null : await session.LoadAsync<InspectionView>(current.InspectionId, ct);
        if (current is null || !AccessRules.CanReadCase(caller, current.TownCode, current.UnitCode, inspection))
            return (null, ProblemAnswers.NotFound($"no case {id} in this county").ToResult());
        if (asOf is null && version is null) return (current, null);
        var past = await session.Events.AggregateStreamAsync<CaseView>(id, version: version ?? 0, timestamp: asOf, token: ct);
        return past is null
            ? (null, ProblemAnswers.NotFound($"case {id} did not exist yet at that point").ToResult())
            : (past, null);
    }

    [WolverineGet("/api/cases/{id}")]
    [Heavy(HeavyRoutes.Replay, HeavyWhen.AsOfThePast)]
    [RequestTimeout(HeavyRoutes.Timeout)]
    [Authorize(Roles = Roles.Anyone)]
    [ProducesResponseType<CaseAnswer>(200)]
    public static async Task<IResult> Get(Guid id, DateTimeOffset? asOf, long? version, IQuerySession session, Caller caller, HttpContext context,
        CancellationToken ct)
    {
        // One round trip for the case and its events; the access check then reads its inspection.
        var batch = session.CreateBatchQuery();
        var loadCase = batch.Load<CaseView>(id);
        var loadEvents = batch.Events.FetchStream(id, version ?? 0, asOf);
        await batch.Execute(ct);
        var (found, refusal) = await ReadableAsync(id, asOf, version, session, caller, ct, loadCase);
        if (found is null) return refusal!;
        var events = await loadEvents;
        if (asOf is null && version is null) context.Response.Headers.ETag = $"\"{found.Version}\"";  // for If-Match on the next write
        return Results.Ok(new CaseAnswer(found, events.Select(e => EventLine.From(e, "case")).ToList()));
    }

    /// <summary>Every event of the case in order, with the inspection events it hangs from (plan, team, field work, report, notification).</summary>
    [WolverineGet("/api/cases/{id}/history")]
    [Authorize(Roles = Roles.Anyone)]
    [ProducesResponseType<IReadOnlyList<EventLine>>(200)]
    public static async Task<IResult> History(Guid id, IQuerySession session, Caller caller, CancellationToken ct)
    {
        var (found, refusal) = await ReadableAsync(id, null, null, session, caller, ct);
        if (found is null) return refusal!;
        return Results.Ok(await LinesAsync(found, session, caller, ct));
    }

    /// <summary>The case's events and its inspection's, trimmed to what the caller may read of the inspection (<see cref="Trimming"/>).</summary>
    private static async Task<List<EventLine>> LinesAsync(CaseView found, IQuerySession session, Caller caller, CancellationToken ct)
    {
        var own = await session.Events.FetchStreamAsync(found.Id, token: ct);
        var inspection = await session.Events.FetchStreamAsync(found.InspectionId, token: ct);
        var lines = own.Select(e => EventLine.From(e, "case")).Concat(inspection.Select(e => EventLine.From(e, "inspection")))
            .OrderBy(l => l.Sequence).ToList();
        return await Trimming.HistoryForAsync(caller, await session.LoadAsync<InspectionView>(found.InspectionId, ct), lines, session, ct);
    }

    /// <summary>The case's events and its inspection's, one JSON object per line, for a reviewer's own tools.</summary>
    [WolverineGet("/api/cases/{id}/events.ndjson")]
    [Heavy(HeavyRoutes.Exports)]
    [RequestTimeout(HeavyRoutes.Timeout)]
    [Authorize(Roles = Roles.Anyone)]
    public static async Task<IResult> Export(Guid id, IQuerySession session, Caller caller, IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions> json, CancellationToken ct)
    {
        var (found, refusal) = await ReadableAsync(id, null, null, session, caller, ct);
        if (found is null) return refusal!;
        return Ndjson(await LinesAsync(found, session, caller, ct), json.Value.SerializerOptions);
    }

    /// <summary>Lines of JSON written to the response one by one as they come (never the whole export in memory).</summary>
    public static IResult Ndjson(IEnumerable<EventLine> lines, JsonSerializerOptions options) => Ndjson(lines.ToAsyncEnumerable(), options);

    /// <inheritdoc cref="Ndjson(IEnumerable{EventLine}, JsonSerializerOptions)"/>
    public static IResult Ndjson(IAsyncEnumerable<EventLine> lines, JsonSerializerOptions options) => Results.Stream(async stream =>
    {
        await foreach (var line in lines)
        {
            await JsonSerializer.SerializeAsync(stream, line, options);
            await stream.WriteAsync(NewLine);
        }
    }, "application/x-ndjson; charset=utf-8");

    private static readonly byte[] NewLine = "\n"u8.ToArray();
}
