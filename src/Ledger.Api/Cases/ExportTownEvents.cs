using Microsoft.AspNetCore.Http.Timeouts;
using Ledger.Api.Setup;
using Ledger.Api.Http;
using Ledger.Domain.Access;
using System.Text.Json;
using Ledger.Api.Auth;
using Ledger.Domain.Registry;
using Ledger.Projections.Registry;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;
using Wolverine.Http;

namespace Ledger.Api.Cases;

public static class ExportTownEvents
{
    private static readonly string[] TownFields = ["townCode", "responsibleTown", "inspectingTownCode"];

    /// <summary>Does the event concern the town (its data names it in a town field or town list)?</summary>
    public static bool Concerns(string dataJson, string town)
    {
        using var doc = JsonDocument.Parse(dataJson);
        foreach (var property in doc.RootElement.EnumerateObject())
        {
            var name = char.ToLowerInvariant(property.Name[0]) + property.Name[1..];
            if (TownFields.Contains(name) && property.Value.ValueKind == JsonValueKind.String && property.Value.GetString() == town) return true;
            if (name == "townCodes" && property.Value.ValueKind == JsonValueKind.Array
                && property.Value.EnumerateArray().Any(t => t.GetString() == town)) return true;
        }
        return false;
    }

    /// <summary>Every event of the caller's county that concerns a town, between two moments, one JSON object per line.</summary>
    [WolverineGet("/api/towns/{code}/events.ndjson")]
    [Heavy(HeavyRoutes.Exports)]
    [RequestTimeout(HeavyRoutes.Timeout)]
    [Authorize(Roles = Roles.ReadAll)]
    public static async Task<IResult> Get(string code, DateTimeOffset? from, DateTimeOffset? to, IQuerySession session,
        IDocumentStore store, IOptions<JsonOptions> json, CancellationToken ct)
    {
        if (await session.LoadAsync<TownView>(RegistryIds.Town(session.TenantId, code), ct) is null)
            return ProblemAnswers.NotFound($"no town with code '{code}' in this county").ToResult();
        var query = session.Events.QueryAllRawEvents().AsQueryable();
        if (from is not null) query = query.Where(e => e.Timestamp >= from);
        if (to is not null) query = query.Where(e => e.Timestamp <= to);
        // Read and written a row at a time while the answer streams: memory stays flat however many events the county has.
        var serializer = store.Options.Serializer();
        var lines = query.OrderBy(e => e.Sequence).ToAsyncEnumerable(ct)
            .Where(e => Concerns(serializer.ToJson(e.Data), code)).Select(e => EventLine.From(e, e.EventTypeName));
        return GetCase.Ndjson(lines, json.Value.SerializerOptions);
    }
}
