using Ledger.Domain.Access;
using Ledger.Domain.Common;
using static Ledger.Domain.Tests.Spec;

namespace Ledger.Domain.Tests.Access;

/// <summary>The rules of accounts: names, rights (a respondent's typed scope, no scope for the rest), passwords, and who may change what.</summary>
public sealed class AccountRuleTests
{
    private static readonly DateOnly Today = new(2026, 3, 2);
    private static readonly Caller Admin = new("admin", Roles.Admin, null, Counties.Xinfeng);
    private static readonly Guid Id = Account.IdOf(Counties.Xinfeng, "clerk");

    private static Account Clerk(params object[] more) =>
        Given<Account>([new AccountCreated(Id, "clerk", "clerk", Roles.Respondent, "town:440233100", Today), .. more]);

    [Fact]
    public void A_new_account_gets_its_rights_and_a_one_time_password()
    {
        Then(new CreateAccount(" clerk ", null, Roles.Respondent, "town:440233100").Decide(Counties.Xinfeng, null, Today),
            new AccountCreated(Id, "clerk", "clerk", Roles.Respondent, "town:440233100", Today),
            new AccountPasswordSet(Id, "clerk", true, Today));
    }

    [Theory]
    [InlineData("clerk", Roles.Respondent, null, "scope must be town:<code> or unit:<code>")]
    [InlineData("clerk", Roles.Respondent, "440233100", "scope must be town:<code> or unit:<code>")]
    [InlineData("clerk", Roles.Reviewer, "town:440233100", "scope is only for a respondent")]
    [InlineData("clerk", "root", null, "role must be one of")]
    [InlineData("cl erk", Roles.Reviewer, null, "user may hold only")]
    [InlineData("", Roles.Reviewer, null, "user is required")]
    public void Bad_rights_or_names_are_refused(string user, string role, string? scope, string because) =>
        Refused(new CreateAccount(user, null, role, scope).Decide(Counties.Xinfeng, null, Today), RefusalKind.Invalid, because);

    [Fact]
    public void An_existing_account_is_not_made_again() =>
        Refused(new CreateAccount("clerk", null, Roles.Reviewer, null).Decide(Counties.Xinfeng, Clerk(), Today), RefusalKind.Conflict, "exists already");

    [Fact]
    public void Rights_change_from_what_to_what_and_not_on_a_disabled_account_or_ones_own()
    {
        Then(new ChangeAccountRights(Roles.Reviewer, null, 1).Decide(Clerk(), Admin, Today),
            new AccountRightsChanged(Id, "clerk", Roles.Respondent, "town:440233100", Roles.Reviewer, null, Today));
        Refused(new ChangeAccountRights(Roles.Respondent, "town:440233100", 1).Decide(Clerk(), Admin, Today), RefusalKind.Conflict, "already");
        Refused(new ChangeAccountRights(Roles.Reviewer, null, 1).Decide(Clerk(new AccountDisabled(Id, "clerk", "left", Today)), Admin, Today),
            RefusalKind.Conflict, "disabled");
        Refused(new ChangeAccountRights(Roles.Reviewer, null, 1).Decide(Clerk(), Admin with { User = "clerk" }, Today), RefusalKind.Conflict, "own rights");
    }

    [Fact]
    public void A_disabled_account_grants_nothing()
    {
        Assert.True(Clerk().Grants(Roles.Respondent, "town:440233100"));
        Assert.False(Clerk().Grants(Roles.Respondent, "town:440233101"));
        Assert.False(Clerk(new AccountDisabled(Id, "clerk", "left", Today)).Grants(Roles.Respondent, "town:440233100"));
        Refused(new DisableAccount(" ", 1).Decide(Clerk(), Admin, Today), RefusalKind.Invalid, "reason is required");
    }

    [Theory]
    [InlineData("short", "at least 10")]
    [InlineData("aaaaaaaaaaaa", "too easy")]
    [InlineData("CLERK-clerk", null)]
    [InlineData("clerkclerk", null)]
    public void Passwords_are_long_enough_and_not_the_name(string password, string? because)
    {
        var checks = new Checks();
        AccountRules.Password(checks, password, "clerk");
        if (because is null) Assert.True(checks.Ok, string.Join("; ", checks.Errors));
        else Assert.Contains(checks.Errors, e => e.Contains(because));
    }
}
