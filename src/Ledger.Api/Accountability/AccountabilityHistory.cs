using Ledger.Projections.Accountability;
using Marten;

namespace Ledger.Api.Accountability;

/// <summary>
/// Accountability views rebuilt from the events themselves, up to a moment or a sequence: the
/// same <see cref="AccountabilityEvolver"/> the live projection uses, so the past is computed
/// exactly as the present is. Used for <c>asOf</c> queries and for assessments.
/// </summary>
public static class AccountabilityHistory
{
    public sealed record Folded(IReadOnlyDictionary<string, AccountabilityView> Views, long LastSequence);

    public static async Task<Folded> FoldAsync(IQuerySession session, IReadOnlySet<string> keys, DateTimeOffset? asOf, long? upToSequence,
        CancellationToken ct)
    {
        var query = session.Events.QueryAllRawEvents().AsQueryable();
        if (asOf is not null) query = query.Where(e => e.Timestamp <= asOf);
        if (upToSequence is not null) query = query.Where(e => e.Sequence <= upToSequence);
        var events = await query.OrderBy(e => e.Sequence).ToListAsync(ct);
        var views = keys.ToDictionary(k => k, k => new AccountabilityView { Id = k });
        foreach (var e in events)
            foreach (var key in AccountabilityEvolver.KeysOf(e.Data))
                if (views.TryGetValue(key, out var view))
                    AccountabilityEvolver.Evolve(view, e.Data, e.Sequence, e.Id);
        return new Folded(views, events.Count == 0 ? upToSequence ?? 0 : events[^1].Sequence);
    }
}
