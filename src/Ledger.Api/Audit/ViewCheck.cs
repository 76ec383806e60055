using System.Text.Json;
using JasperFx.Events;
using JasperFx.Events.Aggregation;
using Ledger.Api.Setup;
using Ledger.Api.Storage;
using Ledger.Domain.Identification;
using Ledger.Domain.Registry;
using Ledger.Domain.Tips;
using Ledger.Projections.Cases;
using Ledger.Projections.Inspections;
using Ledger.Projections.Registry;
using Marten;
using Marten.Linq.MatchesSql;
using NpgsqlTypes;

namespace Ledger.Api.Audit;

/// <summary>A stored document that does not match what its events give: changed, missing (events but no document) or orphan (a document without events).</summary>
public sealed record DifferingDocument(string Type, Guid Id, string Kind, IReadOnlyList<string> Fields);

/// <summary>
/// How many documents were compared, how many differ, and the first <see cref="ViewCheck.Listed"/> of
/// those (in type, then id order).
/// </summary>
public sealed record ViewVerification(string County, long Checked, long DifferingCount, IReadOnlyList<DifferingDocument> Differing)
{
    /// <summary>Accountability checkpoints that do not follow from their events (or whose seal or chain hash is wrong).</summary>
    public IReadOnlyList<Accountability.DifferingCheckpoint> Checkpoints { get; init; } = [];

    public bool Clean => DifferingCount == 0 && Checkpoints.Count == 0;
}

/// <summary>
/// Rebuilds every inline document a read serves (registry views, inspection and case views, households,
/// identification decisions, tips) of one county from its events, with the very projection code Marten
/// runs inline, and compares it with the stored one (canonical JSON, top-level field by field; Marten's
/// metadata columns are not part of the document). Ids are paged: the county's streams and stored
/// documents in id order, <see cref="PageSize"/> at a time, with only those streams' events loaded.
/// See docs/audit.md ("Inline documents checked against their events").
/// </summary>
public sealed class ViewCheck(IDocumentStore documents)
{
    private readonly DocumentStore store = (DocumentStore)documents;

    public const int PageSize = 200;
    public const int Listed = 1000;

    private interface IView
    {
        string Name { get; }
        string Table { get; }
        /// <summary>The document each id of the page should be, from the page's events (ids without one are absent).</summary>
        Task<Dictionary<Guid, object>> ExpectedAsync(IQuerySession session, IReadOnlyList<IEvent> events, CancellationToken ct);
    }

    /// <summary>A document kept by a single-stream projection or snapshot: the stream's events, through Marten's aggregator for it (version included).</summary>
    private sealed class StreamView<T>(DocumentStore store) : IView where T : class
    {
        public string Name => typeof(T).Name;
        public string Table => TableOf(typeof(T));

        public async Task<Dictionary<Guid, object>> ExpectedAsync(IQuerySession session, IReadOnlyList<IEvent> events, CancellationToken ct)
        {
            var aggregator = store.Options.Projections.AggregatorFor<T>();
            var expected = new Dictionary<Guid, object>();
            foreach (var stream in events.GroupBy(e => e.StreamId))
            {
                var document = await aggregator.BuildAsync(stream.OrderBy(e => e.Version).ToList(), session, null, ct);
                if (document is not null) expected[stream.Key] = document;
            }
            return expected;
        }
    }

    /// <summary>
    /// The unit view, a multi-stream projection: a unit's own stream plus the pairings recorded on villages'
    /// streams, grouped as <see cref="UnitViewProjection"/> declares them and run through its own code.
    /// </summary>
    private sealed class UnitViews(DocumentStore store) : IView
    {
        public string Name => nameof(UnitView);
        public string Table => TableOf(typeof(UnitView));

        /// <summary>The events <see cref="UnitViewProjection"/> takes, each naming its unit.</summary>
        public static readonly Type[] EventTypes = [typeof(UnitRegistered), typeof(UnitDetailsChanged), typeof(VillagePaired)];

        public static Guid? UnitOf(IEvent e) => e.Data switch
        {
            UnitRegistered r => r.UnitId,
            UnitDetailsChanged c => c.UnitId,
            VillagePaired p => p.UnitId,
            _ => null,
        };

        public async Task<Dictionary<Guid, object>> ExpectedAsync(IQuerySession session, IReadOnlyList<IEvent> events, CancellationToken ct)
        {
            var projection = store.Options.Projections.All.OfType<UnitViewProjection>().Single();
            var expected = new Dictionary<Guid, object>();
            foreach (var unit in events.Where(e => UnitOf(e) is not null).GroupBy(e => UnitOf(e)!.Value))
            {
                (UnitView? document, _) = await projection.DetermineActionAsync(session, null, unit.Key, new NoIdentity(),
                    unit.OrderBy(e => e.Sequence).ToList(), ct);
                if (document is not null) expected[unit.Key] = document;
            }
            return expected;
        }

        private sealed class NoIdentity : IIdentitySetter<UnitView, Guid>
        {
            public void SetIdentity(UnitView document, Guid identity) { }
            public Guid Identity(UnitView document) => document.Id;
        }
    }

    /// <summary>Marten's table of a document type (its default alias: the type's name in lower case).</summary>
    private static string TableOf(Type type) => $"{MartenSetup.Schema}.mt_doc_{type.Name.ToLowerInvariant()}";

    private static readonly Type[] Documents =
        [typeof(TownView), typeof(VillageView), typeof(UnitView), typeof(InspectionView), typeof(CaseView), typeof(Household), typeof(IdentificationDecision), typeof(Tip)];

    /// <summary>Checks every inline document of one county.</summary>
    public async Task<ViewVerification> VerifyAsync(string county, CancellationToken ct)
    {
        await using var session = store.QuerySession(county);
        await using var connection = await session.Database.OpenConnectionAsync(ct);
        var tally = new Tally();

        // Documents keyed by their stream: the county's streams and stored documents in id order, each page
        // with the events of its streams only (the stream id is indexed).
        IView[] streamViews =
        [
            new StreamView<TownView>(store), new StreamView<VillageView>(store), new StreamView<InspectionView>(store),
            new StreamView<CaseView>(store), new StreamView<Household>(store), new StreamView<IdentificationDecision>(store),
            new StreamView<Tip>(store),
        ];
        var streamIds = string.Join(" union ", streamViews.Select(v => $"select id from {v.Table} where tenant_id = @county")
            .Prepend($"select id from {MartenSetup.Schema}.mt_streams where tenant_id = @county"));
        await CheckAsync(session, connection, county, streamViews, streamIds, (page, token) => session.Events.QueryAllRawEvents()
            .Where(e => e.MatchesSql("d.stream_id = any(?)", page.ToArray())).OrderBy(e => e.Sequence).ToListAsync(token), tally, ct);

        // Unit views: keyed by the unit the events name (its own stream's events and pairings on villages' streams).
        var units = new UnitViews(store);
        var types = UnitViews.EventTypes.Select(t => ((Marten.Events.EventGraph)store.Options.Events).EventMappingFor(t).EventTypeName).ToArray();
        var unitIds = $"""
            select (data ->> 'UnitId')::uuid as id from {MartenSetup.Schema}.mt_events where tenant_id = @county and type = any(@types)
            union select id from {units.Table} where tenant_id = @county
            """;
        await CheckAsync(session, connection, county, [units], unitIds, (page, token) => session.Events.QueryAllRawEvents()
            .Where(e => e.MatchesSql("d.type = any(?) and d.data ->> 'UnitId' = any(?)", types, page.Select(id => id.ToString()).ToArray()))
            .OrderBy(e => e.Sequence).ToListAsync(token), tally, ct, types);

        return new ViewVerification(county, tally.Compared, tally.DifferingCount,
            tally.Differing.OrderBy(d => d.Type, StringComparer.Ordinal).ThenBy(d => d.Id).ToList());
    }

    private sealed class Tally
    {
        public long Compared;
        public long DifferingCount;
        public readonly List<DifferingDocument> Differing = [];
    }

    /// <summary>Pages through the ids <paramref name="idsSql"/> gives, <see cref="PageSize"/> at a time, comparing each view's documents.</summary>
    private async Task CheckAsync(IQuerySession session, Npgsql.NpgsqlConnection connection, string county, IReadOnlyList<IView> views,
        string idsSql, Func<List<Guid>, CancellationToken, Task<IReadOnlyList<IEvent>>> eventsOf, Tally tally, CancellationToken ct,
        string[]? types = null)
    {
        Guid? after = null;
        while (true)
        {
            var page = new List<Guid>();
            await using (var command = new Npgsql.NpgsqlCommand(
                $"select id from ({idsSql}) ids where @after is null or id > @after order by id limit {PageSize}", connection))
            {
                command.Parameters.AddWithValue("county", county);
                if (types is not null) command.Parameters.AddWithValue("types", types);
                command.Parameters.Add(new Npgsql.NpgsqlParameter("after", NpgsqlDbType.Uuid) { Value = (object?)after ?? DBNull.Value });
                await using var reader = await command.ExecuteReaderAsync(ct);
                while (await reader.ReadAsync(ct)) page.Add(reader.GetGuid(0));
            }
            if (page.Count == 0) return;
            after = page[^1];

            var events = await eventsOf(page, ct);
            foreach (var view in views)
            {
                var expected = await view.ExpectedAsync(session, events, ct);
                var stored = await StoredAsync(connection, view.Table, county, page, ct);
                foreach (var id in page)
                {
                    var hasExpected = expected.TryGetValue(id, out var document);
                    var hasStored = stored.TryGetValue(id, out var json);
                    if (!hasExpected && !hasStored) continue;
                    tally.Compared++;
                    DifferingDocument? difference = (hasExpected, hasStored) switch
                    {
                        (true, false) => new(view.Name, id, "missing", []),
                        (false, true) => new(view.Name, id, "orphan", []),
                        _ => Compare(view.Name, id, store.Options.Serializer().ToJson(document!), json!),
                    };
                    if (difference is null) continue;
                    tally.DifferingCount++;
                    if (tally.Differing.Count < Listed) tally.Differing.Add(difference);
                }
            }
        }
    }

    private static async Task<Dictionary<Guid, string>> StoredAsync(Npgsql.NpgsqlConnection connection, string table, string county,
        List<Guid> page, CancellationToken ct)
    {
        var stored = new Dictionary<Guid, string>();
        await using var command = new Npgsql.NpgsqlCommand($"select id, data::text from {table} where tenant_id = @county and id = any(@ids)", connection);
        command.Parameters.AddWithValue("county", county);
        command.Parameters.AddWithValue("ids", page.ToArray());
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct)) stored[reader.GetGuid(0)] = reader.GetString(1);
        return stored;
    }

    /// <summary>The top-level fields whose values differ (JSON equality: key order and number spelling do not count).</summary>
    private static DifferingDocument? Compare(string type, Guid id, string expectedJson, string storedJson)
    {
        using var expected = JsonDocument.Parse(expectedJson);
        using var stored = JsonDocument.Parse(storedJson);
        if (expected.RootElement.ValueKind != JsonValueKind.Object || stored.RootElement.ValueKind != JsonValueKind.Object)
            return JsonElement.DeepEquals(expected.RootElement, stored.RootElement) ? null : new(type, id, "changed", ["(document)"]);
        var want = expected.RootElement.EnumerateObject().ToDictionary(p => p.Name, p => p.Value);
        var have = stored.RootElement.EnumerateObject().ToDictionary(p => p.Name, p => p.Value);
        var fields = want.Keys.Union(have.Keys)
            .Where(name => !want.TryGetValue(name, out var a) || !have.TryGetValue(name, out var b) || !JsonElement.DeepEquals(a, b))
            .Order(StringComparer.Ordinal).ToList();
        return fields.Count == 0 ? null : new(type, id, "changed", fields);
    }

    /// <summary>The counties with events or documents in a database (for the command line, which has no caller).</summary>
    public async Task<IReadOnlyList<string>> CountiesAsync(Marten.Storage.IMartenDatabase database, CancellationToken ct)
    {
        var counties = new List<string>();
        var tables = Documents.Select(t => $"select tenant_id from {TableOf(t)}")
            .Prepend($"select tenant_id from {MartenSetup.Schema}.mt_streams");
        await using var connection = await database.OpenConnectionAsync(ct);
        await using var command = new Npgsql.NpgsqlCommand($"select distinct tenant_id from ({string.Join(" union ", tables)}) t order by 1", connection);
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct)) counties.Add(reader.GetString(0));
        return counties;
    }
}
