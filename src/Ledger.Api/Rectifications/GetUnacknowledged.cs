using Ledger.Api.Security;
using Ledger.Api.Setup;
using Ledger.Domain.Access;
using Ledger.Domain.Rectifications;
using Ledger.Projections.Cases;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;

namespace Ledger.Api.Rectifications;

public static class GetUnacknowledged
{
    /// <summary>
    /// 待签收: open requirements the responsible town or unit has not acknowledged, oldest notification
    /// first, each with the last day to acknowledge and whether it has passed; <c>late=true</c> for
    /// those past it only. A respondent sees its own.
    /// </summary>
    [WolverineGet("/api/rectifications/unacknowledged")]
    [Authorize(Roles = $"{Roles.ReadAll},{Roles.Respondent}")]
    [ProducesResponseType<IReadOnlyList<BoardEntry>>(200)]
    public static async Task<IReadOnlyList<BoardEntry>> List(bool? late, int? year, IQuerySession session, Caller caller, DateOnly today,
        CountyRules rules, CancellationToken ct)
    {
        var days = rules.AcknowledgementDays(session.TenantId);
        var query = session.Query<CaseView>()
            .Where(c => c.Rectification != null && c.Rectification.Stage != RectificationStage.Closed && c.Rectification.Acknowledgement == null);
        if (year is not null) query = query.Where(c => c.Year == year);
        if (AccessRules.SeesOwnScopeOnly(caller)) query = query.AnsweredFor(caller);
        if (late == true)
        {
            var notifiedBefore = today.AddDays(-days);   // due by notifiedOn + days < today
            query = query.Where(c => c.Rectification!.NotifiedOn < notifiedBefore);
        }
        var cases = await query.OrderBy(c => c.Rectification!.NotifiedOn).ThenBy(c => c.Id).ToListAsync(ct);
        return cases.Select(c => BoardEntry.Of(c, today, days)).ToList();
    }
}
