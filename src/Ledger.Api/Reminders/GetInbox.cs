using Ledger.Domain.Access;
using Ledger.Projections.Inbox;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;

namespace Ledger.Api.Reminders;

public static class GetInbox
{
    /// <summary>
    /// 收件箱: reminders and escalations, newest first (the latest 500). A respondent sees those of the requirements it
    /// answers for (its town, or its unit where no town is responsible); the offices and reviewers see all.
    /// </summary>
    [WolverineGet("/api/inbox")]
    [Authorize(Roles = $"{Roles.ReadAll},{Roles.Respondent}")]
    [ProducesResponseType<IReadOnlyList<InboxNotice>>(200)]
    public static async Task<IReadOnlyList<InboxNotice>> List(IQuerySession session, Caller caller, CancellationToken ct)
    {
        var query = session.Query<InboxNotice>().AsQueryable();
        if (AccessRules.SeesOwnScopeOnly(caller))
        {
            var code = caller.Scope?.Code;
            query = caller.Scope?.Kind switch
            {
                ScopeKind.Town => query.Where(n => n.ResponsibleTown == code),
                ScopeKind.Unit => query.Where(n => n.ResponsibleTown == null && n.ResponsibleUnit == code),
                _ => query.Where(n => false),
            };
        }
        return await query.OrderByDescending(n => n.On).ThenByDescending(n => n.Deadline).ThenByDescending(n => n.Kind).Take(500).ToListAsync(ct);
    }
}
