using Ledger.Api.Accounts;
using Ledger.Domain.Access;
using Ledger.Domain.Common;
using Ledger.Tests.Accounts;
using Ledger.Tests.Fixtures;
using Microsoft.Playwright;
using static Ledger.Tests.Fixtures.Scenarios;

namespace Ledger.Tests.Browser;

/// <summary>
/// The reviewer's and the town's pages, checked by what they show: a case's timeline with its answer and an amendment
/// as old → new, the case as of a moment before the answer, the town's own accountability page (and not another's),
/// the assessment's 无数据 on a fresh ledger, and the audit page's verification. No console errors beyond the
/// refusals the tests provoke on purpose.
/// </summary>
public sealed class CasePageTests(LedgerFixture fixture) : IntegrationTest(fixture)
{
    private const string Answer = "已重新公示七天，无异议";

    /// <summary>Opens accounts for the given users (user, role, scope) and signs each in once to set its own password.</summary>
    private async Task AccountsAsync(params (string User, string Role, string? Scope)[] users)
    {
        var oneTime = await FirstAdministrator.CreateIfNoneAsync(Fixture.Store, Counties.Xinfeng, Fixture.Clock.GetUtcNow(), CancellationToken.None);
        var admin = new SessionClient(Fixture);
        await admin.FirstSignIn("admin", oneTime!, "县管理员-新密码-2026");
        foreach (var (user, role, scope) in users)
        {
            var (_, issued) = await admin.Send(HttpMethod.Post, "/api/accounts", new CreateAccount(user, null, role, scope));
            await new SessionClient(Fixture).FirstSignIn(user, issued.GetProperty("oneTimePassword").GetString()!, $"{user}-password-2017");
        }
    }

    /// <summary>A fresh browser context signed in as the user, its console errors gathered in <paramref name="errors"/>.</summary>
    private async Task<IPage> SignInAsync(string user, List<string> errors)
    {
        var browser = await BrowserHost.ForAsync(Fixture);
        var context = await browser.Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = browser.BaseUrl, Locale = "zh-CN", TimezoneId = "Asia/Shanghai" });
        var page = await context.NewPageAsync();
        page.Console += (_, message) => { if (message.Type == "error") errors.Add(message.Text); };
        page.PageError += (_, error) => errors.Add(error);
        await page.GotoAsync("/");
        await page.GetByLabel("用户名").FillAsync(user);
        await page.GetByLabel("密码", new() { Exact = true }).FillAsync($"{user}-password-2017");
        await page.GetByLabel("密码", new() { Exact = true }).PressAsync("Enter");
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "工作台" })).ToBeVisibleAsync();
        return page;
    }

    /// <summary>The console errors are only the browser's notes of the refusals provoked on purpose (their statuses given).</summary>
    private static void OnlyRefusals(List<string> errors, params int[] statuses) =>
        Assert.All(errors, e => Assert.Contains(statuses, s => e.Contains($"status of {s}")));

    [Fact]
    public async Task The_reviewer_reads_a_case_timeline_with_its_answer_and_amendment_and_sees_it_as_of_before_the_answer()
    {
        await Given.SampleRegistry();
        var r = await Given.ReportedInspection();
        var original = (await Given.GetJson($"/api/cases/{r.FindingA}")).GetProperty("case").GetProperty("description").GetString()!;
        await Expect(await Given.PostJson($"/api/findings/{r.FindingA}/amendments", new
        {
            expectedVersion = await Given.CaseVersion(r.FindingA), reason = "复核后更正", description = "公示期仅3天，未张贴到组", severity = "grave",
        }, Fixture.Token(Roles.InspectionOffice)), 200);
        await Given.NotifiedWithDeadline(r);
        await Given.Loop(r.FindingA, "acknowledgement", new { responsiblePerson = "张镇长", responsiblePost = "副镇长", measures = "重新公示" }, Given.Respondent());
        await Given.Loop(r.FindingA, "responses", new { description = Answer }, Given.Respondent());
        await AccountsAsync(("纪检-李", Roles.Reviewer, null));
        var errors = new List<string>();
        var page = await SignInAsync("纪检-李", errors);

        // The reviewer's workbench: the boards, and the search finds the case.
        await Assertions.Expect(page.Locator("#board-unacknowledged h2")).ToHaveTextAsync("待签收（2）");   // B and the check: A is acknowledged
        await page.GetByRole(AriaRole.Link, new() { Name = "按镇（街）、督查内容、状态和年度查询案件" }).ClickAsync();
        await page.GetByLabel("督查内容").SelectOptionAsync("4");
        await page.GetByRole(AriaRole.Button, new() { Name = "查询" }).ClickAsync();
        await Assertions.Expect(page.Locator("#case-results")).ToContainTextAsync("共 1 件");
        await page.GetByRole(AriaRole.Link, new() { Name = "公示期仅3天，未张贴到组" }).ClickAsync();

        // Now: the answer in the timeline, the amendment as old → new, the case file to download.
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "案件：督查发现" })).ToBeVisibleAsync();
        var timeline = page.Locator("#timeline");
        await Assertions.Expect(timeline).ToContainTextAsync(Answer);
        await Assertions.Expect(page.Locator(".stage")).ToHaveTextAsync("已反馈待核实");
        var description = timeline.Locator(".diff[data-field=description]");
        await Assertions.Expect(description.Locator("del")).ToHaveTextAsync(original);
        await Assertions.Expect(description.Locator("ins")).ToHaveTextAsync("公示期仅3天，未张贴到组");
        await Assertions.Expect(timeline.Locator(".diff[data-field=severity]")).ToHaveTextAsync("严重程度：较重 → 严重");
        await Assertions.Expect(page.GetByRole(AriaRole.Link, new() { Name = "下载案卷（zip，含包含证明与签名树头）" }))
            .ToHaveAttributeAsync("href", $"/api/cases/{r.FindingA}/bundle");

        // The inclusion proof of the recorded finding, from the audit route.
        var recorded = timeline.Locator(".event").First;
        await recorded.GetByRole(AriaRole.Button, new() { Name = "包含证明" }).ClickAsync();
        await Assertions.Expect(recorded.Locator(".proof")).ToContainTextAsync("包含证明：第");
        await Screenshots.TakeAsync(page, "case-timeline");

        // As of the acknowledgement, the moment before the answer: the answer is gone, the stage is the earlier one.
        var acknowledged = timeline.Locator(".event", new() { HasText = "签收" }).Last;
        await acknowledged.GetByRole(AriaRole.Link, new() { Name = "查看此事件时的案件" }).ClickAsync();
        await Assertions.Expect(page.Locator("#as-of-notice")).ToContainTextAsync("显示的是截至");
        await Assertions.Expect(page.Locator(".stage")).ToHaveTextAsync("待反馈");
        await Assertions.Expect(page.Locator("#timeline .event").Last).ToContainTextAsync("签收");
        await Assertions.Expect(page.Locator("#timeline")).Not.ToContainTextAsync(Answer);
        await Assertions.Expect(page.GetByLabel("查看截至此时的案件")).Not.ToHaveValueAsync("");
        await Screenshots.TakeAsync(page, "case-as-of");

        // The date control: a moment before the case existed.
        await page.GetByLabel("查看截至此时的案件").FillAsync("2000-01-01T00:00");
        await page.GetByRole(AriaRole.Button, new() { Name = "查看" }).ClickAsync();
        await Assertions.Expect(page.Locator(".refusal")).ToContainTextAsync("当时可能尚不存在");

        // 审计: the digest and an intact log.
        await page.GetByRole(AriaRole.Link, new() { Name = "审计" }).ClickAsync();
        await Assertions.Expect(page.Locator("#tree-size")).Not.ToHaveTextAsync("0");
        await page.GetByRole(AriaRole.Button, new() { Name = "校验整条日志" }).ClickAsync();
        await Assertions.Expect(page.Locator("#verify-result")).ToHaveTextAsync("完好");
        await page.GetByRole(AriaRole.Button, new() { Name = "现在签一个树头" }).ClickAsync();
        await Assertions.Expect(page.Locator("#signed-head")).ToContainTextAsync("树大小");
        await Screenshots.TakeAsync(page, "audit");
        OnlyRefusals(errors, 404);   // the case before it existed; no head made yet
    }

    [Fact]
    public async Task A_town_sees_its_own_accountability_page_with_charts_and_not_another_towns()
    {
        await Given.LoopedHistory();
        await AccountsAsync(("town-clerk", Roles.Respondent, "town:440233100"));
        var errors = new List<string>();
        var page = await SignInAsync("town-clerk", errors);

        await page.GetByRole(AriaRole.Link, new() { Name = "本镇（街）履责情况" }).ClickAsync();
        await Assertions.Expect(page.Locator("#accountability h1")).ToContainTextAsync("履责情况");
        await page.GetByLabel("年度").FillAsync("2017");
        await page.GetByRole(AriaRole.Button, new() { Name = "查看" }).ClickAsync();
        await Assertions.Expect(page.Locator("#accountability h1")).ToContainTextAsync("2017 年履责情况");
        // Finding A (area 4, serious) and B (area 1, minor): two problems, drawn as two bars by area.
        await Assertions.Expect(page.Locator("#problems-total")).ToHaveTextAsync("2");
        await Assertions.Expect(page.Locator("#chart-areas svg")).ToHaveAttributeAsync("aria-label", "1. 责任落实：一般 1，较重 0，严重 0；4. 精准识别、精准退出：一般 0，较重 1，严重 0");
        await Assertions.Expect(page.Locator("#chart-areas rect.segment")).ToHaveCountAsync(2);
        await Assertions.Expect(page.Locator("#chart-rectification svg").First).ToHaveAttributeAsync("aria-label", new System.Text.RegularExpressions.Regex("现在：按期销号 1，逾期销号 0，整改中 0，逾期未改 1"));
        await Assertions.Expect(page.Locator("#chart-accuracy svg")).ToBeVisibleAsync();
        await Screenshots.TakeAsync(page, "accountability-town");

        await page.GotoAsync("/#/towns/440233101?year=2017");
        await Assertions.Expect(page.Locator(".refusal h1")).ToHaveTextAsync("无权查看");
        await Assertions.Expect(page.Locator("#accountability")).ToHaveCountAsync(0);
        OnlyRefusals(errors, 403);
    }

    [Fact]
    public async Task The_assessment_page_shows_no_data_on_a_fresh_ledger()
    {
        await Given.SampleRegistry();
        await AccountsAsync(("扶贫办", Roles.PovertyOffice, null));
        var errors = new List<string>();
        var page = await SignInAsync("扶贫办", errors);

        await page.GetByRole(AriaRole.Link, new() { Name = "考核" }).ClickAsync();
        await Assertions.Expect(page.Locator("#assessment h1")).ToContainTextAsync("年考核");
        var towns = page.Locator("table.ranking[data-scope=towns]");
        await Assertions.Expect(towns.Locator("tbody tr").First).ToBeVisibleAsync();
        foreach (var grade in await towns.Locator(".grade").AllTextContentsAsync()) Assert.Equal("无数据", grade);
        await Assertions.Expect(page.Locator("#published")).ToContainTextAsync("尚未发布");
        await Screenshots.TakeAsync(page, "assessment");
        Assert.Empty(errors);
    }
}
