using Ledger.Api.Auth;
using Ledger.Api.Http;
using Ledger.Api.Setup;
using Ledger.Domain.Access;
using Ledger.Domain.Common;
using Marten;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;

namespace Ledger.Api.Accounts;

/// <summary>登录: county (default the only one served), user name, password; <c>newPassword</c> when the password is one-time.</summary>
public sealed record SignIn(string? County, string? User, string? Password, string? NewPassword);

/// <summary>Who is signed in, as the pages show it.</summary>
public sealed record SessionInfo(string User, string DisplayName, string Role, string RoleLabel, string? Scope, string County);

/// <summary>
/// Sign-in for the browser: a right password gives the session cookie (<see cref="SessionCookie"/>). A wrong one
/// counts towards the lock-out (<see cref="CountyRules.SignInAttempts"/> in a row lock the account for
/// <see cref="CountyRules.LockoutMinutes"/>); an unknown or disabled account answers exactly as a wrong password
/// does. A one-time password signs in only together with the new password that replaces it.
/// </summary>
public static class SignInEndpoint
{
    public const string Route = "/api/session";

    [WolverinePost(Route)]
    [AllowAnonymous]
    [NotTenanted]
    [ProducesResponseType<SessionInfo>(200)]
    [ProducesResponseType<ProblemDetails>(401)]
    public static async Task<IResult> Post(SignIn command, HttpContext context, IDocumentStore store, TimeProvider clock, CountyRules rules,
        ServedCounties served, CancellationToken ct)
    {
        var county = string.IsNullOrWhiteSpace(command.County)
            ? served.All.Count == 1 ? served.All.First() : Counties.Xinfeng
            : command.County.Trim();
        var checks = new Checks();
        checks.That(Counties.IsValidCode(county), "county must be a 6-digit statistics code");
        checks.Text(command.User, "user", 64);
        checks.That(!string.IsNullOrEmpty(command.Password), "password is required");
        if (checks.ToRefusal() is { } invalid) return invalid.ToResult();
        if (!served.Serves(county)) return WrongPassword();

        await using var session = store.LightweightSession(county);
        var user = command.User!.Trim();
        var account = await session.LoadAsync<Account>(Account.IdOf(county, user), ct);
        var credential = account is null ? null : await session.LoadAsync<AccountCredential>(account.Id, ct);
        if (account is null || credential is null || account.Disabled) return WrongPassword();

        var now = clock.GetUtcNow();
        if (credential.LockedUntil is { } locked && locked > now)
            return ProblemAnswers.Forbidden($"账户已锁定：连续输错密码，请于 {locked.ToOffset(ChinaTime.Offset):HH:mm} 后再试").ToResult();
        if (!Passwords.Verify(credential, command.Password!))
        {
            credential.FailedAttempts++;
            if (credential.FailedAttempts >= rules.SignInAttempts(county))
            {
                credential.FailedAttempts = 0;
                credential.LockedUntil = now.AddMinutes(rules.LockoutMinutes(county));
            }
            session.Store(credential);
            await session.SaveChangesAsync(ct);
            return WrongPassword();
        }

        if (credential.MustChangePassword)
        {
            if (command.NewPassword is null)
                return ProblemAnswers.Conflict("首次登录须设置新密码 (the password is one-time: send newPassword too)",
                    new Dictionary<string, object?> { ["mustChangePassword"] = true, ["errors"] = new[] { "newPassword: 请设置新密码" } }).ToResult();
            var rules2 = new Checks();
            AccountRules.Password(rules2, command.NewPassword, user, "newPassword");
            rules2.That(command.NewPassword != command.Password, "newPassword must differ from the one-time password");
            if (rules2.ToRefusal() is { } weak) return weak.ToResult();
            Passwords.Set(credential, command.NewPassword, oneTime: false, now);
            session.LastModifiedBy = user;
            session.SetHeader(ActorMiddleware.RoleHeader, account.Role);
            session.Events.Append(account.Id, new AccountPasswordSet(account.Id, user, OneTime: false, ChinaTime.Today(now)));
        }
        credential.FailedAttempts = 0;
        credential.LockedUntil = null;
        session.Store(credential);
        await session.SaveChangesAsync(ct);

        await context.SignInAsync(SessionCookie.Scheme, SessionCookie.PrincipalOf(account, county, now),
            new AuthenticationProperties { IssuedUtc = now, ExpiresUtc = now.Add(SessionCookie.Lifetime), IsPersistent = false });
        return Results.Ok(InfoOf(account, county));
    }

    public static SessionInfo InfoOf(Account account, string county) =>
        new(account.UserName, account.DisplayName, account.Role, Roles.LabelOf(account.Role), account.Scope, county);

    private static IResult WrongPassword() =>
        Results.Problem(title: "Unauthorized", detail: "用户名或密码错误", statusCode: StatusCodes.Status401Unauthorized);
}

/// <summary>
/// 当前用户: who the cookie or token names, with the account's display name when there is one; 204 when nobody is
/// signed in (the pages ask this first, and a refusal would be an error in the browser's console).
/// </summary>
public static class GetSession
{
    [WolverineGet(SignInEndpoint.Route)]
    [AllowAnonymous]
    [NotTenanted]
    [ProducesResponseType<SessionInfo>(200)]
    [ProducesResponseType(204)]
    public static async Task<IResult> Get(HttpContext context, IDocumentStore store, CancellationToken ct)
    {
        var caller = CallerClaims.From(context.User);
        if (context.User.Identity?.IsAuthenticated != true || caller.User.Length == 0 || !Counties.IsValidCode(caller.County))
            return Results.NoContent();
        await using var session = store.QuerySession(caller.County);
        return Results.Ok(await session.LoadAsync<Account>(Account.IdOf(caller.County, caller.User), ct) is { } account
            ? SignInEndpoint.InfoOf(account, caller.County)
            : new SessionInfo(caller.User, caller.User, caller.Role, Roles.LabelOf(caller.Role), caller.Scope?.ToString(), caller.County));
    }
}

/// <summary>退出登录: removes the cookie and ends its session for good (a copy of the cookie is refused too).</summary>
public static class SignOutEndpoint
{
    [WolverineDelete(SignInEndpoint.Route)]
    [Authorize(Roles = Roles.AnyAccount)]
    public static async Task<IResult> Delete(HttpContext context, IDocumentSession session, TimeProvider clock)
    {
        if (context.User.FindFirst(LedgerClaims.TokenId)?.Value is { Length: > 0 } sessionId && context.User.Identity?.AuthenticationType == SessionCookie.Scheme)
            session.Store(new EndedSession { Id = sessionId, EndedAt = clock.GetUtcNow() });
        await context.SignOutAsync(SessionCookie.Scheme);
        return Results.NoContent();
    }
}

/// <summary>An API token for the signed-in account, for a program to use.</summary>
public sealed record IssuedToken(string Token, string TokenId, DateTimeOffset ExpiresAt);

/// <summary>
/// 申请接口令牌: the signed-in account (by its session cookie only: a token does not mint tokens) gets a bearer token
/// with its own claims, for 12 hours. It is refused, like the session, once the account is disabled or its rights
/// change, and can be revoked by its id. Tokens are checked on the system clock by the JWT handler, so they are
/// issued on it.
/// </summary>
public static class IssueSessionToken
{
    [WolverinePost(SignInEndpoint.Route + "/token")]
    [Authorize(Roles = Roles.AnyAccount, AuthenticationSchemes = SessionCookie.Scheme)]
    [ProducesResponseType<IssuedToken>(200)]
    public static IResult Post(Caller caller, JwtSettings jwt)
    {
        var lifetime = TimeSpan.FromHours(12);
        var token = new TokenIssuer(jwt, TimeProvider.System).Issue(caller.User, caller.Role, caller.Scope?.ToString(), caller.County, lifetime);
        return Results.Ok(new IssuedToken(token, TokenIssuer.IdOf(token)!, DateTimeOffset.UtcNow.Add(lifetime)));
    }
}
