using System.Text.Json;
using Ledger.Api.Accounts;
using Ledger.Domain.Access;
using Ledger.Domain.Common;
using Ledger.Tests.Fixtures;
using Marten;

namespace Ledger.Tests.Accounts;

/// <summary>
/// Accounts and the browser's session, through HTTP: the first administrator, one-time passwords, lock-out, a
/// disabled account's cookie and token refused at once, the role matrix of accounts, CSRF, sign-out; and the
/// credentials kept out of the chained events.
/// </summary>
public sealed class AccountTests(LedgerFixture fixture) : IntegrationTest(fixture)
{
    private const string AdminPassword = "县管理员-新密码-2026";

    /// <summary>The first administrator, signed in (its one-time password replaced).</summary>
    private async Task<SessionClient> AdminAsync()
    {
        var oneTime = await FirstAdministrator.CreateIfNoneAsync(Fixture.Store, Counties.Xinfeng, DateTimeOffset.UtcNow, CancellationToken.None);
        Assert.NotNull(oneTime);
        var admin = new SessionClient(Fixture);
        await admin.FirstSignIn(FirstAdministrator.UserName, oneTime, AdminPassword);
        return admin;
    }

    /// <summary>An account made by the administrator, signed in with its own new password.</summary>
    private async Task<(SessionClient Client, string Password)> AccountAsync(SessionClient admin, string user, string role, string? scope = null)
    {
        var (status, body) = await admin.Send(HttpMethod.Post, "/api/accounts", new CreateAccount(user, null, role, scope));
        Assert.True(status == 201, $"create answered {status}: {body}");
        var client = new SessionClient(Fixture);
        var password = $"{user}-own-password-1";
        await client.FirstSignIn(user, body.GetProperty("oneTimePassword").GetString()!, password);
        return (client, password);
    }

    [Fact]
    public async Task The_first_administrator_is_made_once_and_signs_in_only_by_replacing_its_one_time_password()
    {
        var oneTime = await FirstAdministrator.CreateIfNoneAsync(Fixture.Store, Counties.Xinfeng, DateTimeOffset.UtcNow, CancellationToken.None);
        Assert.NotNull(oneTime);
        Assert.Contains(oneTime, FirstAdministrator.Message(Counties.Xinfeng, oneTime));
        // A second start makes nothing.
        var events = await Fixture.EventCountAsync();
        Assert.Null(await FirstAdministrator.CreateIfNoneAsync(Fixture.Store, Counties.Xinfeng, DateTimeOffset.UtcNow, CancellationToken.None));
        Assert.Equal(events, await Fixture.EventCountAsync());

        var admin = new SessionClient(Fixture);
        var (status, body) = await admin.SignIn("admin", oneTime);
        Assert.Equal(409, status);
        Assert.True(body.GetProperty("mustChangePassword").GetBoolean());
        Assert.Null(admin.Cookie);
        (status, _) = await admin.SignIn("admin", oneTime, "short");
        Assert.Equal(400, status);
        Assert.Null(admin.Cookie);
        Assert.Equal(events, await Fixture.EventCountAsync());

        (status, body) = await admin.SignIn("admin", oneTime, AdminPassword);
        Assert.Equal(200, status);
        Assert.Equal(Roles.Admin, body.GetProperty("role").GetString());
        (status, body) = await admin.Send(HttpMethod.Get, "/api/session");
        Assert.Equal(200, status);
        Assert.Equal("admin", body.GetProperty("user").GetString());
        Assert.Equal("账户管理员", body.GetProperty("roleLabel").GetString());

        // The one-time password is spent.
        var other = new SessionClient(Fixture);
        Assert.Equal(401, (await other.SignIn("admin", oneTime, "another-new-password-9")).Status);
        Assert.Equal(200, (await other.SignIn("admin", AdminPassword)).Status);
    }

    [Fact]
    public async Task Account_changes_are_events_but_no_password_or_hash_is()
    {
        var admin = await AdminAsync();
        var (inspector, password) = await AccountAsync(admin, "李督查", Roles.Inspector);
        var (status, body) = await inspector.Send(HttpMethod.Get, "/api/session");
        Assert.Equal((200, "李督查", Roles.Inspector), (status, body.GetProperty("user").GetString(), body.GetProperty("role").GetString()));

        await using var session = Fixture.Store.QuerySession(Counties.Xinfeng);
        var id = Account.IdOf(Counties.Xinfeng, "李督查");
        var stream = await session.Events.FetchStreamAsync(id);
        Assert.Equal([typeof(AccountCreated), typeof(AccountPasswordSet), typeof(AccountPasswordSet)], stream.Select(e => e.EventType).ToArray());
        Assert.Equal("admin", stream[0].UserName);   // who granted the rights
        Assert.Equal("李督查", stream[2].UserName);   // who set their own password
        Assert.Equal([true, false], stream.Skip(1).Select(e => ((AccountPasswordSet)e.Data).OneTime).ToArray());

        // The hash is in the credentials only; neither it nor the password is anywhere in the events.
        var credential = await session.LoadAsync<AccountCredential>(id);
        Assert.NotNull(credential);
        Assert.NotEmpty(credential.PasswordHash);
        Assert.DoesNotContain(password, credential.PasswordHash);
        await using var connection = await LedgerFixture.OwnerConnectionAsync(Fixture.Store.Storage.Database);
        await using var command = connection.CreateCommand();
        command.CommandText = "select count(*) from ledger.mt_events where data::text like '%' || $1 || '%' or data::text like '%' || $2 || '%'";
        command.Parameters.Add(new Npgsql.NpgsqlParameter { Value = credential.PasswordHash[..20] });
        command.Parameters.Add(new Npgsql.NpgsqlParameter { Value = password });
        Assert.Equal(0L, (long)(await command.ExecuteScalarAsync())!);
    }

    [Fact]
    public async Task Wrong_passwords_in_a_row_lock_the_account_until_the_lockout_ends()
    {
        Fixture.Clock.SetToday(new DateOnly(2026, 3, 2));
        var admin = await AdminAsync();
        var (_, password) = await AccountAsync(admin, "town-clerk", Roles.Respondent, "town:440233100");
        var browser = new SessionClient(Fixture);
        for (var i = 0; i < 5; i++)
        {
            var (wrong, body) = await browser.SignIn("town-clerk", "not-the-password");
            Assert.Equal(401, wrong);
            Assert.Equal("用户名或密码错误", body.GetProperty("detail").GetString());
        }
        // An unknown user answers the same.
        Assert.Equal(401, (await browser.SignIn("nobody", "not-the-password")).Status);
        var (locked, lockedBody) = await browser.SignIn("town-clerk", password);
        Assert.Equal(403, locked);
        Assert.Contains("锁定", lockedBody.GetProperty("detail").GetString());
        Assert.Null(browser.Cookie);

        Fixture.Clock.SetToday(new DateOnly(2026, 3, 3));
        Assert.Equal(200, (await browser.SignIn("town-clerk", password)).Status);
        var (status, me) = await browser.Send(HttpMethod.Get, "/api/session");
        Assert.Equal((200, "town:440233100"), (status, me.GetProperty("scope").GetString()));
    }

    [Fact]
    public async Task A_disabled_accounts_cookie_and_api_token_stop_working_at_once()
    {
        var admin = await AdminAsync();
        var (inspector, password) = await AccountAsync(admin, "王督查", Roles.Inspector);
        var (status, issued) = await inspector.Send(HttpMethod.Post, "/api/session/token");
        Assert.Equal(200, status);
        var token = issued.GetProperty("token").GetString()!;
        Assert.Equal(200, (await inspector.Send(HttpMethod.Get, "/api/inspections?year=2026")).Status);
        Assert.Equal(200, (await new SessionClient(Fixture).Send(HttpMethod.Get, "/api/inspections?year=2026", bearer: token)).Status);
        // A token does not mint tokens.
        Assert.Equal(401, (await new SessionClient(Fixture).Send(HttpMethod.Post, "/api/session/token", bearer: token)).Status);

        var (_, list) = await admin.Send(HttpMethod.Get, "/api/accounts");
        var row = list.EnumerateArray().Single(a => a.GetProperty("user").GetString() == "王督查");
        (status, var answer) = await admin.Send(HttpMethod.Post, $"/api/accounts/{Uri.EscapeDataString("王督查")}/disable",
            new DisableAccount("调离", row.GetProperty("version").GetInt64()));
        Assert.True(status == 200, $"disable answered {status}: {answer}");

        var kept = inspector.Cookie;
        Assert.Equal(401, (await inspector.Send(HttpMethod.Get, "/api/inspections?year=2026")).Status);
        inspector.Cookie = kept;
        Assert.Equal(204, (await inspector.Send(HttpMethod.Get, "/api/session")).Status);   // nobody signed in
        Assert.Equal(401, (await new SessionClient(Fixture).Send(HttpMethod.Get, "/api/inspections?year=2026", bearer: token)).Status);
        Assert.Equal(401, (await new SessionClient(Fixture).SignIn("王督查", password)).Status);
    }

    [Fact]
    public async Task Changed_rights_end_the_sessions_that_carry_the_old_ones()
    {
        var admin = await AdminAsync();
        var (clerk, password) = await AccountAsync(admin, "clerk", Roles.Respondent, "town:440233100");
        var version = (await admin.Send(HttpMethod.Get, "/api/accounts")).Body.EnumerateArray()
            .Single(a => a.GetProperty("user").GetString() == "clerk").GetProperty("version").GetInt64();
        // A respondent without a scope, or a scope for an office, is refused whole.
        Assert.Equal(400, (await admin.Send(HttpMethod.Post, "/api/accounts/clerk/rights", new ChangeAccountRights(Roles.Respondent, null, version))).Status);
        Assert.Equal(400, (await admin.Send(HttpMethod.Post, "/api/accounts/clerk/rights", new ChangeAccountRights(Roles.Reviewer, "town:440233100", version))).Status);
        var (changed, answer) = await admin.Send(HttpMethod.Post, "/api/accounts/clerk/rights", new ChangeAccountRights(Roles.Respondent, "town:440233101", version));
        Assert.True(changed == 200, $"change answered {changed}: {answer}");

        Assert.Equal(401, (await clerk.Send(HttpMethod.Get, "/api/rectifications")).Status);
        var again = new SessionClient(Fixture);
        Assert.Equal(200, (await again.SignIn("clerk", password)).Status);
        Assert.Equal("town:440233101", (await again.Send(HttpMethod.Get, "/api/session")).Body.GetProperty("scope").GetString());
        // An administrator can neither change nor disable itself.
        var adminVersion = (await admin.Send(HttpMethod.Get, "/api/accounts")).Body.EnumerateArray()
            .Single(a => a.GetProperty("user").GetString() == "admin").GetProperty("version").GetInt64();
        Assert.Equal(409, (await admin.Send(HttpMethod.Post, "/api/accounts/admin/disable", new DisableAccount("test", adminVersion))).Status);
    }

    [Fact]
    public async Task The_administrator_manages_accounts_only_and_nobody_else_manages_accounts()
    {
        var admin = await AdminAsync();
        Assert.Equal(403, (await admin.Send(HttpMethod.Get, "/api/cases")).Status);
        Assert.Equal(403, (await admin.Send(HttpMethod.Get, "/api/inspections?year=2026")).Status);
        Assert.Equal(403, (await admin.Send(HttpMethod.Get, "/api/rectifications")).Status);
        Assert.Equal(200, (await admin.Send(HttpMethod.Get, "/api/accounts")).Status);

        var (inspector, _) = await AccountAsync(admin, "inspector-1", Roles.Inspector);
        var events = await Fixture.EventCountAsync();
        Assert.Equal(403, (await inspector.Send(HttpMethod.Post, "/api/accounts", new CreateAccount("x1", null, Roles.Admin, null))).Status);
        Assert.Equal(403, (await inspector.Send(HttpMethod.Get, "/api/accounts")).Status);
        foreach (var role in new[] { Roles.InspectionOffice, Roles.PovertyOffice, Roles.Reviewer, Roles.Inspector })
        {
            var bearer = Fixture.Token(role);
            Assert.Equal(403, (await new SessionClient(Fixture).Send(HttpMethod.Get, "/api/accounts", bearer: bearer)).Status);
            Assert.Equal(403, (await new SessionClient(Fixture).Send(HttpMethod.Post, "/api/accounts",
                new CreateAccount("x2", null, Roles.Admin, null), bearer: bearer)).Status);
        }
        Assert.Equal(events, await Fixture.EventCountAsync());
    }

    [Fact]
    public async Task A_cross_site_form_post_with_the_cookie_is_refused_and_sign_out_ends_the_session()
    {
        var admin = await AdminAsync();
        var events = await Fixture.EventCountAsync();
        // What a page of another site can make a browser send: a form post (no custom header), the cookie attached.
        var (status, body) = await admin.Send(HttpMethod.Post, "/api/accounts", csrf: false,
            content: SessionClient.Text("user=attacker&role=admin"));
        Assert.Equal(403, status);
        Assert.Contains("跨站", body.GetProperty("detail").GetString());
        Assert.Equal(403, (await admin.Send(HttpMethod.Post, "/api/accounts", new CreateAccount("attacker", null, Roles.Admin, null), csrf: false)).Status);
        Assert.Equal(events, await Fixture.EventCountAsync());
        // A login form posted from elsewhere is refused too.
        Assert.Equal(403, (await new SessionClient(Fixture).Send(HttpMethod.Post, "/api/session", csrf: false,
            content: SessionClient.Text($"user=admin&password={AdminPassword}"))).Status);

        var kept = admin.Cookie;
        Assert.Equal(204, (await admin.Send(HttpMethod.Delete, "/api/session")).Status);
        Assert.Null(admin.Cookie);
        admin.Cookie = kept;   // a copy of the cookie kept after signing out
        Assert.Equal(204, (await admin.Send(HttpMethod.Get, "/api/session")).Status);
        Assert.Equal(401, (await admin.Send(HttpMethod.Get, "/api/accounts")).Status);
    }
}
