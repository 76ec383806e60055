using System.Security.Cryptography;
using Ledger.Api.Accounts;
using Ledger.Domain.Access;
using Ledger.Domain.Common;
using Ledger.Tests.Accounts;
using Ledger.Tests.Fixtures;
using Microsoft.Playwright;

namespace Ledger.Tests.Browser;

/// <summary>
/// The whole loop in the browser, checked by what the pages show: the inspection office plans an inspection, forms its
/// team (a conflict of interest refused in words beside the person), starts the field work; the leader, on a 360-px
/// phone and by keyboard alone, records a finding with a photo, then submits the report from its draft under the date
/// they give; the office notifies a requirement on behalf of the leading group; the town acknowledges and answers it on
/// the 整改台账 page and the poverty office accepts it (已验收销号).
/// </summary>
public sealed class InspectionJourneyTests(LedgerFixture fixture) : IntegrationTest(fixture)
{
    /// <summary>The smallest PNG: one pixel.</summary>
    private static readonly byte[] Photo = Convert.FromBase64String(
        "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==");

    [Fact]
    public async Task The_office_plans_the_team_records_a_finding_with_a_photo_reports_and_notifies_and_the_town_answers()
    {
        await Given.SampleRegistry();
        Fixture.Clock.SetToday(new DateOnly(2017, 7, 10));
        var oneTime = await FirstAdministrator.CreateIfNoneAsync(Fixture.Store, Counties.Xinfeng, Fixture.Clock.GetUtcNow(), CancellationToken.None);
        var admin = new SessionClient(Fixture);
        await admin.FirstSignIn("admin", oneTime!, "县管理员-新密码-2026");
        foreach (var (user, role, scope) in new[]
                 {
                     ("dcs", Roles.InspectionOffice, null), ("wang.leader", Roles.Inspector, null), ("li.member", Roles.Inspector, null),
                     ("fpb", Roles.PovertyOffice, null), ("town-clerk", Roles.Respondent, "town:440233100"),
                 })
        {
            var (_, issued) = await admin.Send(HttpMethod.Post, "/api/accounts", new CreateAccount(user, null, role, scope));
            await new SessionClient(Fixture).FirstSignIn(user, issued.GetProperty("oneTimePassword").GetString()!, $"{user}-password-2017");
        }
        var browser = await BrowserHost.ForAsync(Fixture);
        var errors = new List<string>();

        async Task<IPage> SignInAsync(string user, ViewportSize? viewport = null)
        {
            var context = await browser.Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = browser.BaseUrl, Locale = "zh-CN", ViewportSize = viewport });
            var page = await context.NewPageAsync();
            page.Console += (_, message) => { if (message.Type == "error") errors.Add(message.Text); };
            page.PageError += (_, error) => errors.Add(error);
            page.Response += (_, response) => { if (response.Status >= 400) errors.Add($"{response.Status} {response.Url}"); };
            await page.GotoAsync("/");
            await page.GetByLabel("用户名").FillAsync(user);
            await page.GetByLabel("密码", new() { Exact = true }).FillAsync($"{user}-password-2017");
            await page.GetByLabel("密码", new() { Exact = true }).PressAsync("Enter");
            await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "工作台" })).ToBeVisibleAsync();
            return page;
        }

        // 1. The inspection office plans a comprehensive inspection of town 440233100 and unit wt-100.
        var office = await SignInAsync("dcs");
        await office.GetByRole(AriaRole.Link, new() { Name = "督查", Exact = true }).ClickAsync();
        await Assertions.Expect(office.GetByRole(AriaRole.Heading, new() { Name = "制定督查方案" })).ToBeVisibleAsync();
        await office.GetByLabel("年度").FillAsync("2017");
        await office.Locator("input[name=towns][value='440233100']").CheckAsync();
        await office.Locator("input[name=units][value='wt-100']").CheckAsync();
        await office.GetByLabel("责任事项").FillAsync("核查识别程序");
        await office.GetByLabel("责任人").FillAsync("督查组组长");
        await office.GetByLabel("计划开始").FillAsync("2017-07-01");
        await office.GetByLabel("计划结束").FillAsync("2017-07-15");
        await office.GetByRole(AriaRole.Button, new() { Name = "制定方案" }).ClickAsync();
        await Assertions.Expect(office.Locator("#inspection .status-label")).ToHaveTextAsync("已制定方案");
        var inspectionUrl = office.Url;

        // 2. The team: a member from the inspected unit is refused, in words, beside that member; from 县审计局 accepted.
        var team = office.Locator("#team-form");
        await team.GetByLabel("登录用户名").First.FillAsync("wang.leader");
        await team.GetByLabel("姓名").First.FillAsync("王组长");
        await team.GetByLabel("所在单位代码").First.FillAsync("czj");
        await team.GetByLabel("登录用户名").Nth(1).FillAsync("li.member");
        await team.GetByLabel("姓名").Nth(1).FillAsync("李组员");
        await team.GetByLabel("所在单位代码").Nth(1).FillAsync("wt-100");
        await team.GetByRole(AriaRole.Button, new() { Name = "组建" }).ClickAsync();
        await Assertions.Expect(team.Locator(".error[data-for=member]")).ToContainTextAsync("李组员 (li.member) 来自被督查单位");
        await Assertions.Expect(team.Locator(".error[data-for=member]")).ToContainTextAsync("应当回避");
        await Assertions.Expect(team.Locator(".error[data-for=leader]")).ToBeEmptyAsync();
        await Assertions.Expect(team.GetByLabel("姓名").Nth(1)).ToHaveValueAsync("李组员");   // nothing typed is lost
        await Screenshots.TakeAsync(office, "inspection-team-conflict");
        await team.GetByLabel("所在单位代码").Nth(1).FillAsync("sjj");
        await team.GetByRole(AriaRole.Button, new() { Name = "组建" }).ClickAsync();
        await Assertions.Expect(office.Locator("#inspection .status-label")).ToHaveTextAsync("已组建督查组");
        await Assertions.Expect(office.Locator("#team")).ToHaveTextAsync("督查组：组长 王组长，组员 李组员");

        // 3. Field work starts.
        await office.GetByLabel("开始日期（不填为今天）").FillAsync("2017-07-02");
        await office.GetByRole(AriaRole.Button, new() { Name = "开始实地督查" }).ClickAsync();
        await Assertions.Expect(office.Locator("#inspection .status-label")).ToHaveTextAsync("实地督查中");

        // 4. The leader, on a phone 360 px wide: the desk lists the field work, "记录问题" opens the finding form.
        var leader = await SignInAsync("wang.leader", new ViewportSize { Width = 360, Height = 740 });
        var desk = leader.Locator("#my-field-work");
        await Assertions.Expect(desk).ToContainTextAsync("综合督查");
        await desk.GetByRole(AriaRole.Link, new() { Name = "记录问题" }).ClickAsync();
        var finding = leader.Locator("#finding");
        await Assertions.Expect(finding.GetByRole(AriaRole.Heading, new() { Name = "记录问题" })).ToBeVisibleAsync();
        Assert.True(await leader.EvaluateAsync<int>("document.documentElement.scrollWidth") <= 360, "the finding form fits a 360-px screen");

        // A refused finding (no description) shows the error under the field.
        await finding.GetByRole(AriaRole.Button, new() { Name = "保存问题" }).ClickAsync();
        await Assertions.Expect(finding.Locator(".error[data-for=description]")).ToHaveTextAsync("必填");

        // By keyboard alone: village, area 4, method, severity, description; the photo from the phone's picker; Enter on the button.
        await finding.GetByLabel("村").FocusAsync();
        await leader.Keyboard.TypeAsync("440233100201");
        await leader.Keyboard.PressAsync("Tab");   // 单位
        await leader.Keyboard.PressAsync("Tab");   // 督查内容
        for (var n = 0; n < 3; n++) await leader.Keyboard.PressAsync("ArrowDown");
        await Assertions.Expect(finding.GetByLabel("督查内容")).ToHaveValueAsync("4");
        await leader.Keyboard.PressAsync("Tab");   // 督查方式: 实地调查 first
        await leader.Keyboard.PressAsync("Tab");   // 严重程度
        await leader.Keyboard.PressAsync("ArrowDown");
        await Assertions.Expect(finding.GetByLabel("严重程度")).ToHaveValueAsync("serious");
        await leader.Keyboard.PressAsync("Tab");   // 问题描述
        await leader.Keyboard.TypeAsync("贫困户识别公示期不足7天");
        await finding.GetByLabel("照片").SetInputFilesAsync(new FilePayload { Name = "公示栏.png", MimeType = "image/png", Buffer = Photo });
        for (var n = 0; n < 10 && await leader.EvaluateAsync<string>("document.activeElement.textContent") != "保存问题"; n++)
            await leader.Keyboard.PressAsync("Tab");
        await leader.Keyboard.PressAsync("Enter");
        var saved = finding.Locator("#finding-saved");
        await Assertions.Expect(saved).ToContainTextAsync("已记录问题（附照片 1 张）");
        await Screenshots.TakeAsync(leader, "inspection-finding-phone");
        var caseId = await saved.GetAttributeAsync("data-case");
        var recorded = await Given.GetJson($"/api/cases/{caseId}", Roles.InspectionOffice);
        Assert.Contains(Convert.ToHexStringLower(SHA256.HashData(Photo)), recorded.ToString());
        Assert.Contains("贫困户识别公示期不足7天", recorded.ToString());

        // 5. The report from its draft, under the leader's date.
        await leader.ReloadAsync();
        var report = leader.Locator("#report");
        await Assertions.Expect(report.Locator("input[name=problem]")).ToHaveCountAsync(1);
        await Assertions.Expect(report).ToContainTextAsync("公示期不足7天");
        await report.GetByLabel("报告日期（组长所定，不填为今天）").FillAsync("2017-07-09");
        await report.GetByLabel("意见").FillAsync("");
        await report.GetByRole(AriaRole.Button, new() { Name = "提交报告" }).ClickAsync();
        await Assertions.Expect(report.Locator(".error[data-for=opinions]")).ToHaveTextAsync("必填");   // refused, the draft kept
        await Assertions.Expect(report.GetByLabel("基本情况")).Not.ToBeEmptyAsync();
        await report.GetByLabel("意见").FillAsync("限期整改，举一反三");
        await report.GetByLabel("建议").FillAsync("加强公示程序监督");
        await report.GetByRole(AriaRole.Button, new() { Name = "提交报告" }).ClickAsync();
        await Assertions.Expect(report.Locator(".error[data-for=form]")).ToBeEmptyAsync();
        await Assertions.Expect(leader.Locator("#inspection .status-label")).ToHaveTextAsync("已提交报告");
        await Assertions.Expect(leader.Locator("#report-done")).ToHaveTextAsync("报告已提交（2017-07-09）");

        // 6. The office notifies the requirement, on behalf of the leading group.
        Fixture.Clock.SetToday(new DateOnly(2017, 8, 1));
        office = await SignInAsync("dcs");   // three weeks later: yesterday's session has expired
        await office.GotoAsync(inspectionUrl);
        var notify = office.Locator("#notify");
        await Assertions.Expect(notify.Locator(".recipient")).ToHaveCountAsync(1);
        await Assertions.Expect(notify.Locator(".recipient legend")).ToHaveTextAsync("黄磜镇");
        await notify.GetByLabel("督查结果概述").FillAsync("存在识别程序问题");
        await notify.GetByRole(AriaRole.Button, new() { Name = "发出通报" }).ClickAsync();
        await Assertions.Expect(notify.Locator(".error[data-for=form]")).Not.ToBeEmptyAsync();   // no action, no deadline: refused
        await Assertions.Expect(notify.GetByLabel("督查结果概述")).ToHaveValueAsync("存在识别程序问题");
        await notify.GetByLabel("整改要求", new() { Exact = true }).FillAsync("重新履行公示程序");
        await notify.GetByLabel("整改期限").FillAsync("2017-09-30");
        await Screenshots.TakeAsync(office, "inspection-notification");
        await notify.GetByRole(AriaRole.Button, new() { Name = "发出通报" }).ClickAsync();
        await Assertions.Expect(office.Locator("#inspection .status-label")).ToHaveTextAsync("已结束");
        await Assertions.Expect(office.Locator("#notified")).ToHaveTextAsync("已通报：黄磜镇（以领导小组名义）");

        // 7. The town acknowledges and answers; the poverty office accepts.
        var town = await SignInAsync("town-clerk");
        await town.GetByRole(AriaRole.Link, new() { Name = "整改台账" }).ClickAsync();
        var requirement = town.Locator($".requirement[data-case='{caseId}']");
        await Assertions.Expect(requirement).ToContainTextAsync("重新履行公示程序");
        await requirement.GetByLabel("整改责任人").FillAsync("张镇长");
        await requirement.GetByLabel("职务").FillAsync("副镇长");
        await requirement.GetByLabel("整改措施").FillAsync("重新公示并召开评议会");
        await requirement.GetByRole(AriaRole.Button, new() { Name = "签收" }).ClickAsync();
        await requirement.GetByLabel("整改情况").FillAsync("已重新公示七天，无异议");
        await requirement.GetByRole(AriaRole.Button, new() { Name = "提交答复" }).ClickAsync();
        await Assertions.Expect(requirement.Locator(".stage")).ToHaveTextAsync("已反馈待核实");

        var poverty = await SignInAsync("fpb");
        await poverty.GetByRole(AriaRole.Link, new() { Name = "整改台账" }).ClickAsync();
        var same = poverty.Locator($".requirement[data-case='{caseId}']");
        await same.GetByRole(AriaRole.Button, new() { Name = "验收销号" }).ClickAsync();
        await Assertions.Expect(same.Locator(".stage")).ToHaveTextAsync("已验收销号");

        // Only the refusals the journey provoked reached the console (400 empty finding, opinions and notice, 409 team conflict).
        Assert.All(errors, e => Assert.True(e.Contains("status of 400") || e.Contains("status of 409") || e.StartsWith("400 ") || e.StartsWith("409 "), string.Join(" | ", errors)));
    }
}
