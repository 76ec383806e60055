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
    /// changed (with the top-level fields that differ), missing, or orphan (a document without events).
    /// </summary>
    [WolverineGet("/api/ledger/verify-views")]
    [Heavy(HeavyRoutes.Verify)]
    [RequestTimeout(HeavyRoutes.Timeout)]
    [Authorize(Roles = Roles.ReadAll)]
    public static Task<ViewVerification> Get(IDocumentStore store, IQuerySession session, CancellationToken ct) =>
        new ViewCheck(store).VerifyAsync(session.TenantId, ct);
}
