using Ledger.Api.Accounts;
using Ledger.Domain.Access;
using Ledger.Domain.Common;
using Ledger.Tests.Accounts;
using Ledger.Tests.Fixtures;
using Microsoft.Playwright;

namespace Ledger.Tests.Browser;

/// <summary>
/// The end of the main loop in the browser: the town acknowledges (签收) and answers its requirement on the 整改台账
/// page, a refused answer keeping what was typed, and the poverty office accepts it — each checked by what the page shows.
/// </summary>
public sealed class RectificationPageTests(LedgerFixture fixture) : IntegrationTest(fixture)
{
    [Fact]
    public async Task The_town_acknowledges_and_answers_its_requirement_and_the_office_accepts_it()
    {
        await Given.SampleRegistry();
        var r = await Given.ReportedInspection();
        await Given.NotifiedWithDeadline(r);   // on 2017-08-01, the test clock's day from now on: within the days to acknowledge
        var oneTime = await FirstAdministrator.CreateIfNoneAsync(Fixture.Store, Counties.Xinfeng, Fixture.Clock.GetUtcNow(), CancellationToken.None);
        var admin = new SessionClient(Fixture);
        await admin.FirstSignIn("admin", oneTime!, "县管理员-新密码-2026");
        foreach (var (user, role, scope) in new[] { ("town-clerk", Roles.Respondent, "town:440233100"), ("扶贫办", Roles.PovertyOffice, null) })
        {
            var (_, issued) = await admin.Send(HttpMethod.Post, "/api/accounts", new CreateAccount(user, null, role, scope));
            await new SessionClient(Fixture).FirstSignIn(user, issued.GetProperty("oneTimePassword").GetString()!, $"{user}-password-2017");
        }
        var browser = await BrowserHost.ForAsync(Fixture);
        var errors = new List<string>();

        async Task<IPage> SignInAsync(string user)
        {
            var context = await browser.Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = browser.BaseUrl, Locale = "zh-CN" });
            var page = await context.NewPageAsync();
            page.Console += (_, message) => { if (message.Type == "error") errors.Add(message.Text); };
            page.PageError += (_, error) => errors.Add(error);
            await page.GotoAsync("/");
            await page.GetByLabel("用户名").FillAsync(user);
            await page.GetByLabel("密码", new() { Exact = true }).FillAsync($"{user}-password-2017");
            await page.GetByLabel("密码", new() { Exact = true }).PressAsync("Enter");
            await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "工作台" })).ToBeVisibleAsync();
            await page.GetByRole(AriaRole.Link, new() { Name = "整改台账" }).ClickAsync();
            await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "整改台账" })).ToBeVisibleAsync();
            return page;
        }

        var town = await SignInAsync("town-clerk");
        // Its own requirements only (finding A and B of town 100; the check's requirement is town 101's).
        await Assertions.Expect(town.Locator(".requirement")).ToHaveCountAsync(2);
        var requirement = town.Locator($".requirement[data-case='{r.FindingA}']");
        await Assertions.Expect(requirement).ToContainTextAsync("重新履行公示程序");
        await Assertions.Expect(requirement).ToContainTextAsync("待签收");
        await requirement.GetByLabel("整改责任人").FillAsync("张镇长");
        await requirement.GetByLabel("职务").FillAsync("副镇长");
        await requirement.GetByLabel("整改措施").FillAsync("重新公示并召开评议会");
        await requirement.GetByRole(AriaRole.Button, new() { Name = "签收" }).ClickAsync();
        await Assertions.Expect(requirement).ToContainTextAsync("已签收");

        await requirement.GetByRole(AriaRole.Button, new() { Name = "提交答复" }).ClickAsync();
        await Assertions.Expect(requirement.Locator(".error[data-for=description]")).ToHaveTextAsync("必填");
        await requirement.GetByLabel("整改情况").FillAsync("已重新公示七天，无异议");
        await requirement.GetByRole(AriaRole.Button, new() { Name = "提交答复" }).ClickAsync();
        await Assertions.Expect(requirement.Locator(".stage")).ToHaveTextAsync("已反馈待核实");
        await Screenshots.TakeAsync(town, "rectifications-town");

        var office = await SignInAsync("扶贫办");
        var same = office.Locator($".requirement[data-case='{r.FindingA}']");
        await Assertions.Expect(same.Locator(".stage")).ToHaveTextAsync("已反馈待核实");
        await same.GetByRole(AriaRole.Button, new() { Name = "验收销号" }).ClickAsync();
        await Assertions.Expect(same.Locator(".stage")).ToHaveTextAsync("已验收销号");
        await Assertions.Expect(office.Locator(".requirement")).ToHaveCountAsync(3);   // the office's board: every requirement
        Assert.All(errors, e => Assert.Contains("status of 400", e));   // only the refused empty answer
    }
}
