using Microsoft.AspNetCore.Http.Timeouts;
using Ledger.Api.Setup;
using Ledger.Domain.Access;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Wolverine.Http;

namespace Ledger.Api.Audit;

public static class VerifyViews
{
    /// <summary>
    /// Rebuilds every inline document of the caller's county (registry views, inspection and case views,
    /// households, identification decisions, tips) from its events and lists those stored otherwise:
    /// changed (with the top-level fields that differ), missing, or orphan (a document without events);
    /// and refolds every accountability checkpoint of the county from its events (<c>checkpoints</c>: those that differ).
    /// </summary>
    [WolverineGet("/api/ledger/verify-views")]
    [Heavy(HeavyRoutes.Verify)]
    [RequestTimeout(HeavyRoutes.Timeout)]
    [Authorize(Roles = Roles.ReadAll)]
    public static async Task<ViewVerification> Get(IDocumentStore store, IQuerySession session, Accountability.AccountabilityCheckpoints checkpoints,
        CancellationToken ct) =>
        await new ViewCheck(store).VerifyAsync(session.TenantId, ct) with { Checkpoints = await checkpoints.VerifyAsync(session.TenantId, ct) };
}
