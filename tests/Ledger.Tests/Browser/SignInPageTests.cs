using Ledger.Api.Accounts;
using Ledger.Domain.Access;
using Ledger.Domain.Common;
using Ledger.Tests.Accounts;
using Ledger.Tests.Fixtures;
using Microsoft.Playwright;

namespace Ledger.Tests.Browser;

/// <summary>
/// The pages in a real browser (headless Chromium): the first administrator's sign-in with its one-time password,
/// errors shown in Chinese next to their fields with what was typed kept, an account opened on the 账户 page; an
/// inspector signing in on a 360-px-wide phone with the keyboard only, and no console errors.
/// </summary>
public sealed class SignInPageTests(LedgerFixture fixture) : IntegrationTest(fixture)
{
    private const string AdminPassword = "县管理员-新密码-2026";

    private async Task<(IPage Page, List<string> ConsoleErrors)> OpenAsync(int width = 1200, int height = 800)
    {
        var browser = await BrowserHost.ForAsync(Fixture);
        var context = await browser.Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = browser.BaseUrl, ViewportSize = new ViewportSize { Width = width, Height = height }, Locale = "zh-CN",
        });
        var page = await context.NewPageAsync();
        var errors = new List<string>();
        page.Console += (_, message) => { if (message.Type == "error") errors.Add(message.Text); };
        page.PageError += (_, error) => errors.Add(error);
        await page.GotoAsync("/");
        return (page, errors);
    }

    [Fact]
    public async Task The_first_administrator_signs_in_replaces_the_one_time_password_and_opens_an_account()
    {
        var oneTime = await FirstAdministrator.CreateIfNoneAsync(Fixture.Store, Counties.Xinfeng, DateTimeOffset.UtcNow, CancellationToken.None);
        var (page, errors) = await OpenAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "登录" })).ToBeVisibleAsync();
        await Screenshots.TakeAsync(page, "sign-in");

        await page.GetByLabel("用户名").FillAsync("admin");
        await page.GetByLabel("密码", new() { Exact = true }).FillAsync(oneTime!);
        await page.GetByRole(AriaRole.Button, new() { Name = "登录" }).ClickAsync();
        await Assertions.Expect(page.Locator(".error[data-for=newPassword]")).ToHaveTextAsync("首次登录须设置新密码");

        // A refused new password: the reason in Chinese under its field, and nothing typed is lost.
        await page.GetByLabel("新密码").FillAsync("short");
        await page.GetByRole(AriaRole.Button, new() { Name = "登录" }).ClickAsync();
        await Assertions.Expect(page.Locator(".error[data-for=newPassword]")).ToHaveTextAsync("至少 10 个字符");
        await Assertions.Expect(page.GetByLabel("用户名")).ToHaveValueAsync("admin");
        await Assertions.Expect(page.GetByLabel("新密码")).ToHaveValueAsync("short");

        await page.GetByLabel("新密码").FillAsync(AdminPassword);
        await page.GetByRole(AriaRole.Button, new() { Name = "登录" }).ClickAsync();
        await Assertions.Expect(page.Locator("#who")).ToHaveTextAsync("账户管理员（账户管理员）");
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "开设账户" })).ToBeVisibleAsync();

        // A respondent without its scope is refused, in words, next to the scope field.
        await page.GetByLabel("用户名").FillAsync("clerk");
        await page.GetByLabel("角色").SelectOptionAsync(new SelectOptionValue { Label = "被督查单位" });
        await page.GetByRole(AriaRole.Button, new() { Name = "开设" }).ClickAsync();
        await Assertions.Expect(page.Locator(".error[data-for=scope]")).ToContainTextAsync("须填写范围");
        await Assertions.Expect(page.GetByLabel("用户名")).ToHaveValueAsync("clerk");

        await page.GetByLabel("用户名").FillAsync("李督查");
        await page.GetByLabel("角色").SelectOptionAsync(new SelectOptionValue { Label = "督查组成员" });
        await page.GetByRole(AriaRole.Button, new() { Name = "开设" }).ClickAsync();
        await Assertions.Expect(page.Locator("#one-time-password")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex("^[A-Za-z2-9]{14}$"));
        await Assertions.Expect(page.Locator("#accounts tr[data-user='李督查']")).ToContainTextAsync("督查组成员");
        await Screenshots.TakeAsync(page, "accounts");

        // The password shown is the account's: it signs in (and must be replaced).
        var shown = await page.Locator("#one-time-password").TextContentAsync();
        Assert.Equal(409, (await new SessionClient(Fixture).SignIn("李督查", shown!)).Status);
        // Only the refused requests made above were reported, nothing else went wrong on the page.
        Assert.All(errors, e => Assert.Contains("status of 40", e));
    }

    [Fact]
    public async Task An_inspector_signs_in_on_a_phone_with_the_keyboard_only_and_the_page_reports_no_errors()
    {
        var oneTime = await FirstAdministrator.CreateIfNoneAsync(Fixture.Store, Counties.Xinfeng, DateTimeOffset.UtcNow, CancellationToken.None);
        var admin = new SessionClient(Fixture);
        await admin.FirstSignIn("admin", oneTime!, AdminPassword);
        var (_, issued) = await admin.Send(HttpMethod.Post, "/api/accounts", new CreateAccount("wang", "王督查", Roles.Inspector, null));
        await new SessionClient(Fixture).FirstSignIn("wang", issued.GetProperty("oneTimePassword").GetString()!, "wang-own-password-1");

        var (page, errors) = await OpenAsync(360, 740);
        await Assertions.Expect(page.GetByLabel("用户名")).ToBeFocusedAsync();
        await page.Keyboard.TypeAsync("wang");
        await page.Keyboard.PressAsync("Tab");
        await Assertions.Expect(page.GetByLabel("密码", new() { Exact = true })).ToBeFocusedAsync();
        await page.Keyboard.TypeAsync("wang-own-password-1");
        await page.Keyboard.PressAsync("Enter");

        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "工作台" })).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("main")).ToContainTextAsync("王督查，您好。身份：督查组成员");
        await Assertions.Expect(page.Locator("#who")).ToHaveTextAsync("王督查（督查组成员）");
        await Assertions.Expect(page.GetByRole(AriaRole.Link, new() { Name = "账户" })).ToBeHiddenAsync();
        Assert.True(await page.EvaluateAsync<int>("document.documentElement.scrollWidth") <= 360, "the page is wider than the phone");
        await Screenshots.TakeAsync(page, "workbench-phone");
        Assert.Empty(errors);
    }
}
