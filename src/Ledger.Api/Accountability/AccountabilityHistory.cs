using Ledger.Projections.Accountability;
using Marten;
using Marten.Events;

namespace Ledger.Api.Accountability;

/// <summary>
/// Accountability views rebuilt from the events themselves, up to a moment or a sequence: the
/// same <see cref="AccountabilityEvolver"/> the live projection uses, so the past is computed
/// exactly as the present is. Used for <c>asOf</c> queries and for assessments.
/// </summary>
public static class AccountabilityHistory
{
    public sealed record Folded(IReadOnlyDictionary<string, AccountabilityView> Views, IReadOnlyCollection<CaseRow> Cases, long LastSequence)
    {
        public IReadOnlyList<CaseRow> CasesFor(string key) => Cases.Where(c => c.CountsFor(key)).ToList();
    }

    public static async Task<Folded> FoldAsync(IQuerySession session, IReadOnlySet<string> keys, DateTimeOffset? asOf, long? upToSequence,
        CancellationToken ct)
    {
        // Only the event types accountability reads, streamed in order: not the county's whole log in memory.
        var types = AccountabilityEvolver.EventTypes.ToArray();
        var query = session.Events.QueryAllRawEvents().Where(e => e.EventTypesAre(types));
        if (asOf is not null) query = query.Where(e => e.Timestamp <= asOf);
        if (upToSequence is not null) query = query.Where(e => e.Sequence <= upToSequence);
        var views = keys.ToDictionary(k => k, k => new AccountabilityView { Id = k });
        var cases = new Dictionary<Guid, CaseRow>();
        var last = upToSequence ?? 0;
        await foreach (var e in query.OrderBy(e => e.Sequence).ToAsyncEnumerable(ct))
        {
            last = e.Sequence;
            foreach (var key in AccountabilityEvolver.KeysOf(e.Data))
                if (views.TryGetValue(key, out var view))
                    AccountabilityEvolver.Evolve(view, e.Data, e.Sequence, e.Id);
            if (AccountabilityEvolver.CaseIdOf(e.Data) is { } caseId
                && AccountabilityEvolver.EvolveCase(cases.GetValueOrDefault(caseId), e.Data, e.Sequence, e.Id) is { } row)
                cases[caseId] = row;
        }
        var counted = cases.Values.Where(c => keys.Any(c.CountsFor)).ToList();
        return new Folded(views, counted, last);
    }
}
