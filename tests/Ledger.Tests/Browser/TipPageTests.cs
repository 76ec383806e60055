using Ledger.Tests.Fixtures;
using Microsoft.Playwright;

namespace Ledger.Tests.Browser;

/// <summary>群众举报 in a real browser, on a phone's width, without signing in: a refused tip keeps what was typed; a tip gives a receipt, and the receipt its state.</summary>
public sealed class TipPageTests(LedgerFixture fixture) : IntegrationTest(fixture)
{
    [Fact]
    public async Task A_citizen_reports_a_problem_on_a_phone_and_looks_the_receipt_up()
    {
        await Given.SampleRegistry();
        var browser = await BrowserHost.ForAsync(Fixture);
        var context = await browser.Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = browser.BaseUrl, ViewportSize = new ViewportSize { Width = 360, Height = 740 }, Locale = "zh-CN",
        });
        var page = await context.NewPageAsync();
        await page.GotoAsync("/");
        await page.GetByRole(AriaRole.Link, new() { Name = "群众举报（无需登录）" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "群众举报" })).ToBeVisibleAsync();

        // Refused: no description, and a town the registry does not know — each said next to its field; the contact stays.
        await page.GetByLabel("镇（街）代码（可不填）").FillAsync("999999999");
        await page.GetByLabel("联系方式（可不填）").FillAsync("13800000000");
        await page.GetByRole(AriaRole.Button, new() { Name = "提交举报" }).ClickAsync();
        await Assertions.Expect(page.Locator(".error[data-for=description]")).ToHaveTextAsync("必填");
        await Assertions.Expect(page.Locator(".error[data-for=town]")).ToHaveTextAsync("没有这个镇（街）代码");
        await Assertions.Expect(page.GetByLabel("联系方式（可不填）")).ToHaveValueAsync("13800000000");

        await page.GetByLabel("举报内容").FillAsync("村里的扶贫路修了一半就停工了");
        await page.GetByLabel("镇（街）代码（可不填）").FillAsync("440233100");
        await page.GetByRole(AriaRole.Button, new() { Name = "提交举报" }).ClickAsync();
        var receipt = page.Locator("#receipt-number");
        await Assertions.Expect(receipt).ToHaveTextAsync(new System.Text.RegularExpressions.Regex("^440233-"));
        await Screenshots.TakeAsync(page, "tip-phone");

        await page.GetByLabel("回执号").FillAsync((await receipt.TextContentAsync())!);
        await page.GetByLabel("回执号").PressAsync("Enter");
        await Assertions.Expect(page.Locator("#tip-state")).ToContainTextAsync("办理情况：已受理");
        Assert.True(await page.EvaluateAsync<int>("document.documentElement.scrollWidth") <= 360, "the page is wider than the phone");
    }
}
