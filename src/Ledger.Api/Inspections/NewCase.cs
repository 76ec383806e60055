using Ledger.Api.Writes;
using Ledger.Api.Http;
using Ledger.Domain.Common;
using Ledger.Domain.Inspections;
using Marten;
using Marten.Services.BatchQuerying;

namespace Ledger.Api.Inspections;

/// <summary>
/// The common path of every record that opens a case in an inspection (finding, funding check,
/// identification review): the inspection must exist in the caller's county, the use case decides
/// (it may read more first), and the case starts as a stream of its own. Answers 201 with its location.
/// </summary>
public static class NewCase
{
    public static Task<IResult> RecordAsync(IDocumentSession session, Guid inspectionId, TimeProvider clock,
        Func<Inspection, Guid, DateOnly, Task<Decision>> decide, CancellationToken ct) =>
        RecordAsync(session, inspectionId, clock, _ => 0, (inspection, _, caseId, today) => decide(inspection, caseId, today), ct);

    /// <summary>
    /// The same, with reads the use case knows up front (<paramref name="alongside"/> queues them)
    /// made in the same round trip as the inspection's.
    /// </summary>
    public static async Task<IResult> RecordAsync<TReads>(IDocumentSession session, Guid inspectionId, TimeProvider clock,
        Func<IBatchedQuery, TReads> alongside, Func<Inspection, TReads, Guid, DateOnly, Task<Decision>> decide, CancellationToken ct)
    {
        var batch = session.CreateBatchQuery();
        var loadInspection = batch.Load<Inspection>(inspectionId);
        var reads = alongside(batch);
        await batch.Execute(ct);
        var inspection = await loadInspection;
        if (inspection is null) return ProblemAnswers.NotFound($"no inspection {inspectionId} in this county").ToResult();
        var now = clock.GetUtcNow();
        var caseId = Guid.CreateVersion7(now);
        var decision = await decide(inspection, reads, caseId, ChinaTime.Today(now));
        if (decision.Refusal is { } refusal) return refusal.ToResult();
        session.Events.StartStream<Case>(caseId, decision.Events.ToArray());
        return Results.Created($"/api/cases/{caseId}", new WriteAnswer(caseId, 1));
    }
}
