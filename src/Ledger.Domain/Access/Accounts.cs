using Ledger.Domain.Common;

namespace Ledger.Domain.Access;

// One stream per account: id = StableId("account", county, user name). The events carry who holds which
// rights from when; never a password or its hash (credentials are kept apart, outside the chained log).

/// <summary>账户开设: an account with its role and, for a respondent, its typed scope (who: the event's user, the administrator).</summary>
[Label("账户开设")]
public sealed record AccountCreated(Guid AccountId, string UserName, string DisplayName, string Role, string? Scope, DateOnly CreatedOn);

/// <summary>账户权限变更: the account's role and/or scope changed, from what to what.</summary>
[Label("账户权限变更")]
public sealed record AccountRightsChanged(Guid AccountId, string UserName, string FromRole, string? FromScope, string Role, string? Scope,
    DateOnly ChangedOn);

/// <summary>账户停用: the account may no longer sign in, and its sessions and tokens are refused from their next request.</summary>
[Label("账户停用")]
public sealed record AccountDisabled(Guid AccountId, string UserName, string Reason, DateOnly DisabledOn);

/// <summary>
/// 账户密码设置: a password was set — a one-time password by the administrator (to be changed at the first
/// sign-in), or the account holder's own. The fact only: the password and its hash are not in the event.
/// </summary>
[Label("账户密码设置")]
public sealed record AccountPasswordSet(Guid AccountId, string UserName, bool OneTime, DateOnly SetOn);

/// <summary>The write model of an account and the administrator's list (inline snapshot).</summary>
public sealed record Account(Guid Id, string UserName, string DisplayName, string Role, string? Scope, bool Disabled, DateOnly CreatedOn)
{
    public long Version { get; set; }

    /// <summary>The stream of an account follows from its county and user name.</summary>
    public static Guid IdOf(string county, string userName) => StableId.For("account", county, userName);

    public static Account Create(AccountCreated e) => new(e.AccountId, e.UserName, e.DisplayName, e.Role, e.Scope, false, e.CreatedOn);
    public Account Apply(AccountRightsChanged e) => this with { Role = e.Role, Scope = e.Scope };
    public Account Apply(AccountDisabled e) => this with { Disabled = true };
    public Account Apply(AccountPasswordSet e) => this;

    /// <summary>Do a token's or session's role and scope still match this account's? Changed rights end every session made before.</summary>
    public bool Grants(string role, string? scope) => !Disabled && Role == role && (Scope ?? "") == (scope ?? "");
}

/// <summary>The rules of an account's name, role and scope, and of a password.</summary>
public static class AccountRules
{
    public const int MinPasswordLength = 10;

    /// <summary>A user name: letters (Chinese too), digits, '.', '-' or '_', at most 64 characters.</summary>
    public static void UserName(Checks checks, string? userName)
    {
        checks.Text(userName, "user", 64);
        if (!string.IsNullOrWhiteSpace(userName) && !userName.Trim().All(c => char.IsLetterOrDigit(c) || c is '.' or '-' or '_'))
            checks.Add("user may hold only letters, digits, '.', '-' and '_'");
    }

    /// <summary>A known role; a respondent needs a typed scope (town:/unit:), every other role none (it acts for the county).</summary>
    public static void Rights(Checks checks, string? role, string? scope)
    {
        if (string.IsNullOrWhiteSpace(role) || !Roles.All.Contains(role.Trim()))
        {
            checks.Add($"role must be one of: {string.Join(", ", Roles.All)}");
            return;
        }
        if (role.Trim() == Roles.Respondent)
        {
            if (!Access.Scope.TryParse(scope?.Trim(), out _)) checks.Add("scope must be town:<code> or unit:<code> for a respondent");
        }
        else if (!string.IsNullOrWhiteSpace(scope)) checks.Add("scope is only for a respondent: other roles act for the whole county");
    }

    /// <summary>A password: at least <see cref="MinPasswordLength"/> characters, not the user name, not all one character.</summary>
    public static void Password(Checks checks, string? password, string userName, string field = "password")
    {
        if (string.IsNullOrEmpty(password) || password.Length < MinPasswordLength)
            checks.Add($"{field} must have at least {MinPasswordLength} characters");
        else if (password.Length > 200) checks.Add($"{field} is longer than 200 characters");
        else if (string.Equals(password, userName, StringComparison.OrdinalIgnoreCase) || password.Distinct().Count() == 1)
            checks.Add($"{field} is too easy to guess");
    }

    public static string? NormalScope(string role, string? scope) => role == Roles.Respondent ? scope?.Trim() : null;
}

/// <summary>开设账户: user name, display name, role and (a respondent's) scope. The one-time password is made by the server.</summary>
public sealed record CreateAccount(string? User, string? DisplayName, string? Role, string? Scope)
{
    public Decision Decide(string county, Account? existing, DateOnly today)
    {
        var checks = new Checks();
        AccountRules.UserName(checks, User);
        checks.Text(DisplayName, "displayName", 64, required: false);
        AccountRules.Rights(checks, Role, Scope);
        if (checks.ToRefusal() is { } invalid) return invalid;
        var user = User!.Trim();
        if (existing is not null) return Refusal.Conflict($"account {user} exists already");
        var role = Role!.Trim();
        var id = Account.IdOf(county, user);
        return Decision.Accept(
            new AccountCreated(id, user, string.IsNullOrWhiteSpace(DisplayName) ? user : DisplayName.Trim(), role, AccountRules.NormalScope(role, Scope), today),
            new AccountPasswordSet(id, user, OneTime: true, today));
    }
}

/// <summary>变更账户权限: the new role and scope, at the version last read.</summary>
public sealed record ChangeAccountRights(string? Role, string? Scope, long? ExpectedVersion) : IVersionedCommand
{
    public Decision Decide(Account account, Caller caller, DateOnly today)
    {
        var checks = new Checks();
        AccountRules.Rights(checks, Role, Scope);
        if (checks.ToRefusal() is { } invalid) return invalid;
        if (account.Disabled) return Refusal.Conflict($"account {account.UserName} is disabled");
        if (account.UserName == caller.User) return Refusal.Conflict("an administrator does not change their own rights");
        var role = Role!.Trim();
        var scope = AccountRules.NormalScope(role, Scope);
        if (account.Role == role && account.Scope == scope) return Refusal.Conflict("the account holds these rights already");
        return Decision.Accept(new AccountRightsChanged(account.Id, account.UserName, account.Role, account.Scope, role, scope, today));
    }
}

/// <summary>停用账户: why, at the version last read.</summary>
public sealed record DisableAccount(string? Reason, long? ExpectedVersion) : IVersionedCommand
{
    public Decision Decide(Account account, Caller caller, DateOnly today)
    {
        var checks = new Checks();
        checks.Text(Reason, "reason", Checks.LongText);
        if (checks.ToRefusal() is { } invalid) return invalid;
        if (account.Disabled) return Refusal.Conflict($"account {account.UserName} is disabled already");
        if (account.UserName == caller.User) return Refusal.Conflict("an administrator does not disable their own account");
        return Decision.Accept(new AccountDisabled(account.Id, account.UserName, Reason!.Trim(), today));
    }
}

/// <summary>重置密码: the administrator gives the account a new one-time password (made by the server).</summary>
public sealed record ResetAccountPassword(long? ExpectedVersion) : IVersionedCommand
{
    public Decision Decide(Account account, DateOnly today) =>
        account.Disabled
            ? Refusal.Conflict($"account {account.UserName} is disabled")
            : Decision.Accept(new AccountPasswordSet(account.Id, account.UserName, OneTime: true, today));
}
