using Ledger.Domain.Access;
using Marten;

namespace Ledger.Api.Auth;

/// <summary>
/// Applied to every write route: the acting user and role go into the event metadata of whatever
/// the request appends (user → mt_events.user_name, role and scope → headers).
/// </summary>
public static class ActorMiddleware
{
    public const string RoleHeader = "role";
    public const string ScopeHeader = "scope";

    public static void Before(HttpContext context, IDocumentSession session)
    {
        var caller = CallerClaims.From(context.User);
        if (caller.User.Length > 0) session.LastModifiedBy = caller.User;
        if (caller.Role.Length > 0) session.SetHeader(RoleHeader, caller.Role);
        if (caller.Scope is { } scope) session.SetHeader(ScopeHeader, scope.ToString());
    }
}
