using Ledger.Api.Writes;
using Ledger.Domain.Access;
using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Wolverine.Http;

namespace Ledger.Api.Accounts;

/// <summary>A new account or a reset password: the one-time password, shown once to the administrator and never stored in clear.</summary>
public sealed record AccountIssued(Guid Id, long Version, string User, string OneTimePassword);

/// <summary>An account as the administrator's list shows it.</summary>
public sealed record AccountRow(Guid Id, string User, string DisplayName, string Role, string RoleLabel, string? Scope, bool Disabled, long Version);

/// <summary>
/// 开设账户 (the county's administrator only): appends <see cref="AccountCreated"/> and a one-time
/// <see cref="AccountPasswordSet"/>, and keeps the password's hash apart (<see cref="AccountCredential"/>).
/// </summary>
public static class CreateAccountEndpoint
{
    [WolverinePost("/api/accounts")]
    [Authorize(Roles = Roles.Admin)]
    [ProducesResponseType<AccountIssued>(201)]
    public static Task<IResult> Post(CreateAccount command, Write write, IDocumentSession session, TimeProvider clock)
    {
        var user = command.User?.Trim() ?? "";
        var id = Account.IdOf(write.County, user);
        var password = Passwords.OneTime();
        return write.ToKnown<Account>(id, (existing, _) =>
        {
            var decision = command.Decide(write.County, existing, write.Today);
            if (decision.Accepted) session.Store(NewCredential(id, user, password, clock.GetUtcNow()));
            return decision;
        }, $"/api/accounts/{Uri.EscapeDataString(user)}", (_, version) => new AccountIssued(id, version, user, password));
    }

    public static AccountCredential NewCredential(Guid id, string user, string oneTimePassword, DateTimeOffset now)
    {
        var credential = new AccountCredential { Id = id, UserName = user };
        Passwords.Set(credential, oneTimePassword, oneTime: true, now);
        return credential;
    }
}

/// <summary>账户列表 (the administrator only): every account of the county, by user name.</summary>
public static class ListAccounts
{
    [WolverineGet("/api/accounts")]
    [Authorize(Roles = Roles.Admin)]
    public static async Task<IReadOnlyList<AccountRow>> Get(IQuerySession session, CancellationToken ct)
    {
        var rows = new List<AccountRow>();
        foreach (var a in await session.Query<Account>().OrderBy(a => a.UserName).ToListAsync(ct))
        {
            // The stream's own version: what a change of the account must name (expectedVersion).
            var version = (await session.Events.FetchStreamStateAsync(a.Id, ct))?.Version ?? 0;
            rows.Add(new AccountRow(a.Id, a.UserName, a.DisplayName, a.Role, Roles.LabelOf(a.Role), a.Scope, a.Disabled, version));
        }
        return rows;
    }
}

/// <summary>变更账户权限 (the administrator only): sessions and tokens carrying the old rights are refused from their next request.</summary>
public static class ChangeAccountRightsEndpoint
{
    [WolverinePost("/api/accounts/{user}/rights")]
    [Authorize(Roles = Roles.Admin)]
    public static Task<IResult> Post(string user, ChangeAccountRights command, Write write) =>
        write.ToExisting<Account>(Account.IdOf(write.County, user), command, "account", account => command.Decide(account, write.Caller, write.Today));
}

/// <summary>停用账户 (the administrator only): it can no longer sign in, and its sessions and tokens stop working at once.</summary>
public static class DisableAccountEndpoint
{
    [WolverinePost("/api/accounts/{user}/disable")]
    [Authorize(Roles = Roles.Admin)]
    public static Task<IResult> Post(string user, DisableAccount command, Write write) =>
        write.ToExisting<Account>(Account.IdOf(write.County, user), command, "account", account => command.Decide(account, write.Caller, write.Today));
}

/// <summary>重置密码 (the administrator only): a new one-time password, shown once; the account's older sessions end.</summary>
public static class ResetAccountPasswordEndpoint
{
    [WolverinePost("/api/accounts/{user}/password")]
    [Authorize(Roles = Roles.Admin)]
    [ProducesResponseType<AccountIssued>(200)]
    public static Task<IResult> Post(string user, ResetAccountPassword command, Write write, IDocumentSession session, TimeProvider clock)
    {
        var id = Account.IdOf(write.County, user);
        var password = Passwords.OneTime();
        return write.ToExisting<Account>(id, command, "account", account =>
        {
            var decision = command.Decide(account, write.Today);
            if (decision.Accepted) session.Store(CreateAccountEndpoint.NewCredential(id, account.UserName, password, clock.GetUtcNow()));
            return decision;
        }, (account, _, version) => new AccountIssued(id, version, account.UserName, password));
    }
}
