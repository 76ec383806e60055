using Ledger.Api.Common;
using Ledger.Domain.Common;
using Ledger.Domain.Inspections;
using Marten;

namespace Ledger.Api.Inspections;

/// <summary>
/// The common path of every record that opens a case in an inspection (finding, funding check,
/// identification review): the inspection must exist in the caller's county, the use case decides
/// (it may read more first), and the case starts as a stream of its own. Answers 201 with its location.
/// </summary>
public static class NewCase
{
    public static async Task<IResult> RecordAsync(IDocumentSession session, Guid inspectionId, TimeProvider clock,
        Func<Inspection, Guid, DateOnly, Task<Decision>> decide, CancellationToken ct)
    {
        var inspection = await session.LoadAsync<Inspection>(inspectionId, ct);
        if (inspection is null) return ProblemAnswers.NotFound($"no inspection {inspectionId} in this county").ToResult();
        var now = clock.GetUtcNow();
        var caseId = Guid.CreateVersion7(now);
        var decision = await decide(inspection, caseId, ChinaTime.Today(now));
        if (decision.Refusal is { } refusal) return refusal.ToResult();
        session.Events.StartStream<Case>(caseId, decision.Events.ToArray());
        return Results.Created($"/api/cases/{caseId}", new WriteAnswer(caseId, 1));
    }
}
