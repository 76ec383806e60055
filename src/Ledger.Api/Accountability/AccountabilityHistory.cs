using Ledger.Api.Audit;
using Ledger.Projections.Accountability;
using Marten;
using Marten.Events;

namespace Ledger.Api.Accountability;

/// <summary>
/// Accountability views rebuilt from the events themselves, up to a moment or a sequence: the
/// same <see cref="AccountabilityEvolver"/> the live projection uses, so the past is computed
/// exactly as the present is. Used for <c>asOf</c> queries and for assessments.
/// The fold never starts from nothing when it need not: "now" starts from the live documents of the
/// async projections (at the daemon's progress) and a past moment from the newest verified
/// checkpoint before it (<see cref="AccountabilityCheckpoints"/>); only the events after the start
/// are folded. Either way the answer is the one a fold of the whole log gives (docs/views.md).
/// </summary>
public static class AccountabilityHistory
{
    public sealed record Folded(IReadOnlyDictionary<string, AccountabilityView> Views, IReadOnlyCollection<CaseRow> Cases, long LastSequence)
    {
        public IReadOnlyList<CaseRow> CasesFor(string key) => Cases.Where(c => c.CountsFor(key)).ToList();

        /// <summary>The sequence the fold started after: a checkpoint's, the live views' progress, or 0 (the first event).</summary>
        public long StartedAfter { get; init; }
    }

    /// <summary>
    /// Where a fold starts: views and case rows as of <see cref="After"/> (each knows the last event it holds),
    /// and the last event accountability reads at or before it (of any view, 0 if none).
    /// </summary>
    internal sealed record Start(Dictionary<string, AccountabilityView> Views, Dictionary<Guid, CaseRow> Cases, long After, long LastEvent);

    /// <summary>
    /// The views with these keys and their cases, after the events up to <paramref name="asOf"/> and
    /// <paramref name="upToSequence"/> (with neither: all of them). With a key, past moments start from
    /// a checkpoint verified under it; without one (or none usable) they fold from the first event.
    /// </summary>
    public static async Task<Folded> FoldAsync(IQuerySession session, IReadOnlySet<string> keys, DateTimeOffset? asOf, long? upToSequence,
        CancellationToken ct, MacKey? checkpointKey = null)
    {
        var years = keys.Select(YearOf).Distinct().ToList();
        Start? start = null;
        if (asOf is null && upToSequence is null)
            start = await LiveAsync(session, keys, years, ct);
        else if (checkpointKey is not null && years.Count == 1 && years[0] is { } year)
            start = await AccountabilityCheckpoints.NewestAsync(session, checkpointKey, year, asOf, upToSequence, ct);
        start ??= new Start([], [], 0, 0);
        var views = keys.ToDictionary(k => k, k => start.Views.GetValueOrDefault(k) ?? new AccountabilityView { Id = k });
        var state = new Start(views, start.Cases, start.After, start.LastEvent);
        var last = Math.Max(start.LastEvent, await FoldTailAsync(session, state, key => views.GetValueOrDefault(key), asOf, upToSequence, ct));
        var counted = state.Cases.Values.Where(c => keys.Any(c.CountsFor)).ToList();
        // As a fold from the first event says it: the last event it read, or the sequence asked when it read none.
        return new Folded(views, counted, last > 0 ? last : upToSequence ?? 0) { StartedAfter = start.After };
    }

    /// <summary>
    /// Folds the events after <c>state.After</c> (up to the moment and sequence given) into the state, in
    /// sequence order; an event a view or row already holds (its sequence at or below the document's last
    /// one) is not applied twice. Returns the last sequence read (0 if none).
    /// </summary>
    internal static async Task<long> FoldTailAsync(IQuerySession session, Start state, Func<string, AccountabilityView?> viewOf,
        DateTimeOffset? asOf, long? upToSequence, CancellationToken ct)
    {
        // Only the event types accountability reads, streamed in order: not the county's whole log in memory.
        var types = AccountabilityEvolver.EventTypes.ToArray();
        var after = state.After;
        var query = session.Events.QueryAllRawEvents().Where(e => e.EventTypesAre(types) && e.Sequence > after);
        if (asOf is not null) query = query.Where(e => e.Timestamp <= asOf);
        if (upToSequence is not null) query = query.Where(e => e.Sequence <= upToSequence);
        var last = 0L;
        await foreach (var e in query.OrderBy(e => e.Sequence).ToAsyncEnumerable(ct))
        {
            last = e.Sequence;
            foreach (var key in AccountabilityEvolver.KeysOf(e.Data))
                if (viewOf(key) is { } view && e.Sequence > view.LastEventSequence)
                    AccountabilityEvolver.Evolve(view, e.Data, e.Sequence, e.Id);
            if (AccountabilityEvolver.CaseIdOf(e.Data) is not { } caseId) continue;
            var row = state.Cases.GetValueOrDefault(caseId);
            if (row is not null && e.Sequence <= row.LastEventSequence) continue;
            if (AccountabilityEvolver.EvolveCase(row, e.Data, e.Sequence, e.Id) is { } evolved) state.Cases[caseId] = evolved;
        }
        return last;
    }

    /// <summary>
    /// The live documents of the async projections, read after their progress: each holds every event of
    /// its own up to at least that progress, so the events after it (the daemon's lag) finish the fold.
    /// </summary>
    private static async Task<Start?> LiveAsync(IQuerySession session, IReadOnlySet<string> keys, IReadOnlyList<int?> years, CancellationToken ct)
    {
        if (years.Any(y => y is null)) return null;
        // Progress first, documents after: a document is never behind the progress read before it.
        var progress = await Freshness.ReadAsync(session.DocumentStore, session.TenantId, ct);
        var views = keys.Count == 0 ? [] : await session.LoadManyAsync<AccountabilityView>(ct, keys.ToArray());
        var wanted = years.Select(y => y!.Value).ToArray();
        var cases = await session.Query<CaseRow>().Where(c => wanted.Contains(c.Year)).ToListAsync(ct);
        return new Start(views.ToDictionary(v => v.Id), cases.ToDictionary(c => c.Id), progress.CurrentToSequence,
            await LastEventAsync(session, progress.CurrentToSequence, ct));
    }

    /// <summary>The last event accountability reads at or before the sequence (the event index read backwards; 0 if none).</summary>
    internal static async Task<long> LastEventAsync(IQuerySession session, long upTo, CancellationToken ct)
    {
        var types = AccountabilityEvolver.EventTypes.ToArray();
        var last = await session.Events.QueryAllRawEvents().Where(e => e.EventTypesAre(types) && e.Sequence <= upTo)
            .OrderByDescending(e => e.Sequence).Select(e => e.Sequence).Take(1).ToListAsync(ct);
        return last.Count == 0 ? 0 : last[0];
    }

    /// <summary>The year of a view key (<c>town:{code}:{year}</c>), or null if it has none.</summary>
    internal static int? YearOf(string key) =>
        int.TryParse(key.AsSpan(key.LastIndexOf(':') + 1), out var year) ? year : null;
}
