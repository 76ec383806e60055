using System.Security.Claims;
using Ledger.Api.Auth;
using Ledger.Api.Http;
using Ledger.Domain.Access;
using Marten;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authentication.JwtBearer;

namespace Ledger.Api.Accounts;

/// <summary>
/// The browser's sign-in: an HttpOnly, SameSite=Strict cookie (ASP.NET Core's cookie authentication, encrypted with
/// the data-protection keys) carrying the very claims a token carries — user, role, typed scope, county and an id
/// (<c>jti</c>). Programs keep the bearer token: a request with an <c>Authorization</c> header is judged by it alone.
/// Every unsafe request a cookie authenticates must carry <see cref="CsrfHeader"/> (a cross-site form cannot set a
/// header, and a cross-site script may not without a CORS grant this API never gives).
/// </summary>
public static class SessionCookie
{
    public const string Scheme = "ledger-session";
    /// <summary>Token or cookie: the default scheme, choosing per request.</summary>
    public const string EitherScheme = "ledger";
    public const string Name = "ledger_session";
    public const string CsrfHeader = "X-Ledger-Csrf";
    /// <summary>How long a browser session lasts: a working day.</summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromHours(12);

    public static void AddLedgerSessions(this AuthenticationBuilder builder)
    {
        builder.AddPolicyScheme(EitherScheme, "token or session cookie", options =>
        {
            options.ForwardDefaultSelector = context =>
                context.Request.Headers.Authorization.Count == 0 && context.Request.Cookies.ContainsKey(Name) ? Scheme : JwtBearerDefaults.AuthenticationScheme;
            // 401 and 403 are answered as the API always did (problem details, WWW-Authenticate: Bearer), never a redirect.
            options.ForwardChallenge = JwtBearerDefaults.AuthenticationScheme;
            options.ForwardForbid = JwtBearerDefaults.AuthenticationScheme;
        });
        builder.AddCookie(Scheme, options =>
        {
            options.Cookie.Name = Name;
            options.Cookie.HttpOnly = true;
            options.Cookie.SameSite = SameSiteMode.Strict;
            options.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;   // ./run.sh serves plain http on 127.0.0.1
            options.Cookie.Path = "/";
            options.ExpireTimeSpan = Lifetime;
            options.SlidingExpiration = false;
            options.Events = new CookieAuthenticationEvents
            {
                OnValidatePrincipal = ValidateAsync,
                OnRedirectToLogin = context => { context.Response.StatusCode = 401; return Task.CompletedTask; },
                OnRedirectToAccessDenied = context => { context.Response.StatusCode = 403; return Task.CompletedTask; },
            };
        });
    }

    /// <summary>
    /// On each request: the claims a token must have (typed scope, an id), not revoked, and the account still
    /// enabled with the same rights and not signed out since (<see cref="AccountChecks"/>); otherwise the cookie
    /// counts for nothing and is removed.
    /// </summary>
    private static async Task ValidateAsync(CookieValidatePrincipalContext context)
    {
        var principal = context.Principal!;
        var caller = CallerClaims.From(principal);
        var tokenId = principal.FindFirstValue(LedgerClaims.TokenId);
        var why = CallerClaims.Refusal(principal)
                  ?? (string.IsNullOrEmpty(tokenId) || caller.User.Length == 0 ? "the session carries no id" : null)
                  ?? await AccountChecks.RefusalAsync(context.HttpContext, caller, context.Properties.IssuedUtc ?? DateTimeOffset.MinValue, tokenId);
        if (why is null)
        {
            await using var session = context.HttpContext.RequestServices.GetRequiredService<IDocumentStore>().QuerySession(caller.County);
            if (await session.LoadAsync<RevokedToken>(RevokeToken.IdOf(caller.County, tokenId!), context.HttpContext.RequestAborted) is not null)
                why = "the session was revoked";
        }
        if (why is null) return;
        context.RejectPrincipal();
        await context.HttpContext.SignOutAsync(Scheme);
    }

    /// <summary>The claims of a session: those of a token (<see cref="TokenIssuer"/>).</summary>
    public static ClaimsPrincipal PrincipalOf(Account account, string county, DateTimeOffset now)
    {
        var claims = new List<Claim>
        {
            new(LedgerClaims.User, account.UserName),
            new(LedgerClaims.Role, account.Role),
            new(LedgerClaims.County, county),
            new(LedgerClaims.TokenId, Guid.CreateVersion7(now).ToString()),
        };
        if (account.Scope is { } scope) claims.Add(new Claim(LedgerClaims.Scope, scope));
        return new ClaimsPrincipal(new ClaimsIdentity(claims, Scheme, LedgerClaims.User, LedgerClaims.Role));
    }

    /// <summary>
    /// Refuses (403, nothing read or written) an unsafe request that a session cookie would authenticate — or a
    /// sign-in — without <see cref="CsrfHeader"/>: what a page of another site can send is refused.
    /// </summary>
    public static async Task RequireCsrfHeader(HttpContext context, RequestDelegate next)
    {
        var request = context.Request;
        var unsafeMethod = !(HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method) || HttpMethods.IsOptions(request.Method));
        var byCookie = request.Headers.Authorization.Count == 0
                       && (request.Cookies.ContainsKey(Name)
                           || (HttpMethods.IsPost(request.Method) && request.Path.Equals(SignInEndpoint.Route, StringComparison.OrdinalIgnoreCase)));
        if (unsafeMethod && byCookie && request.Headers[CsrfHeader].Count == 0)
        {
            await ProblemAnswers.Forbidden($"跨站请求被拒绝：浏览器发出的修改请求须带 {CsrfHeader} 头 (a request with the session cookie needs the {CsrfHeader} header)")
                .ToResult().ExecuteAsync(context);
            return;
        }
        await next(context);
    }
}
