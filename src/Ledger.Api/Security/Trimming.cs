using Ledger.Api.Cases;
using Ledger.Domain.Access;
using Ledger.Domain.Inspections;
using Ledger.Projections.Accountability;
using Ledger.Projections.Cases;
using Ledger.Projections.Inspections;
using Marten;

namespace Ledger.Api.Security;

/// <summary>
/// Shared records as the caller may read them: an inspection covering several towns and units is
/// trimmed by <see cref="AccessRules.ReportFor"/> and <see cref="AccessRules.CanReadNotification"/> to
/// the caller's own problems and notifications, wherever it is read (the inspection, its list, its
/// report, a case's history). Those who see the whole inspection get it untouched, without a query.
/// </summary>
public static class Trimming
{
    /// <summary>The inspections, each trimmed for the caller (one query for the towns and units of every problem named).</summary>
    public static async Task<IReadOnlyList<InspectionView>> ForAsync(Caller caller, IReadOnlyList<InspectionView> inspections,
        IQuerySession session, CancellationToken ct)
    {
        var partial = inspections.Where(i => !AccessRules.SeesWholeInspection(caller, i)).ToList();
        if (partial.Count == 0) return inspections;
        var scopes = await CaseScopesAsync(partial.SelectMany(i => i.Report?.Problems ?? []).Select(p => p.CaseId), session, ct);
        return inspections.Select(i => Trim(caller, i, scopes)).ToList();
    }

    /// <summary>
    /// A town's or unit's accountability figures as the caller may read them: the offices and reviewers see
    /// every case and inspection; the town or unit itself (a respondent) only the cases it may read
    /// (<see cref="AccessRules.CanReadCase"/>: once the inspection's results are notified to it) and the
    /// inspections it may see (<see cref="AccessRules.CanRead"/>), so no count moves before notification.
    /// Commendations come with a notification and stay.
    /// </summary>
    public static async Task<(AccountabilityView View, IReadOnlyList<CaseRow> Cases)> AccountabilityForAsync(Caller caller,
        AccountabilityView view, IReadOnlyList<CaseRow> cases, IQuerySession session, CancellationToken ct)
    {
        if (AccessRules.ReadsAll(caller)) return (view, cases);
        var ids = cases.Select(c => c.InspectionId).Concat(view.Inspections.Keys).Distinct().ToArray();
        var inspections = ids.Length == 0 ? [] : (await session.LoadManyAsync<InspectionView>(ct, ids)).ToDictionary(i => i.Id);
        var readable = cases.Where(c => inspections.TryGetValue(c.InspectionId, out var i) && AccessRules.CanReadCase(caller, c.TownCode, c.UnitCode, i))
            .ToList();
        var trimmed = new AccountabilityView
        {
            Id = view.Id, Commendations = view.Commendations, Surveys = view.Surveys, LastEventSequence = view.LastEventSequence,
            Inspections = view.Inspections.Where(i => inspections.TryGetValue(i.Key, out var seen) && AccessRules.CanRead(caller, seen))
                .ToDictionary(i => i.Key, i => i.Value),
        };
        return (trimmed, readable);
    }

    public static async Task<InspectionView> ForAsync(Caller caller, InspectionView inspection, IQuerySession session, CancellationToken ct) =>
        (await ForAsync(caller, [inspection], session, ct))[0];

    /// <summary>
    /// A case's history, trimmed: its inspection's report keeps only the problems the caller may read,
    /// and notifications to other towns and units are left out. The case's own events stay whole.
    /// </summary>
    public static async Task<List<EventLine>> HistoryForAsync(Caller caller, InspectionView? inspection, List<EventLine> lines,
        IQuerySession session, CancellationToken ct)
    {
        if (inspection is null || AccessRules.SeesWholeInspection(caller, inspection)) return lines;
        var named = lines.Select(l => l.Data).OfType<InspectionReportSubmitted>().SelectMany(r => r.Problems).Select(p => p.CaseId);
        var scopes = await CaseScopesAsync(named, session, ct);
        return lines
            .Where(l => l.Data is not InspectionResultsNotified n || AccessRules.CanReadNotification(caller, inspection, n))
            .Select(l => l.Data is InspectionReportSubmitted r ? l with { Data = AccessRules.ReportFor(caller, inspection, r, scopes) } : l)
            .ToList();
    }

    private static InspectionView Trim(Caller caller, InspectionView inspection,
        IReadOnlyDictionary<Guid, (string? Town, string? Unit)> scopes) =>
        AccessRules.SeesWholeInspection(caller, inspection)
            ? inspection
            : inspection with
            {
                Report = inspection.Report is { } report ? AccessRules.ReportFor(caller, inspection, report, scopes) : null,
                Notifications = inspection.Notifications?.Where(n => AccessRules.CanReadNotification(caller, inspection, n)).ToList(),
            };

    /// <summary>The town and unit of each named case (one query).</summary>
    private static async Task<IReadOnlyDictionary<Guid, (string? Town, string? Unit)>> CaseScopesAsync(IEnumerable<Guid> ids,
        IQuerySession session, CancellationToken ct)
    {
        var wanted = ids.Distinct().ToArray();
        if (wanted.Length == 0) return new Dictionary<Guid, (string?, string?)>();
        var cases = await session.LoadManyAsync<CaseView>(ct, wanted);
        return cases.ToDictionary(c => c.Id, c => (c.TownCode, c.UnitCode));
    }
}
