using Ledger.Domain.Access;
using System.Text.Json;
using Ledger.Api.Auth;

namespace Ledger.Tests.Fixtures;

/// <summary>Inspections carried to their report, and requirements notified, built through the API.</summary>
public sealed partial class Scenarios
{
    /// <summary>The cases of <see cref="ReportedInspection"/>: two findings in town 100, an irregular funding check in town 101.</summary>
    public sealed record Reported(Guid Inspection, Guid FindingA, Guid FindingB, Guid Check);

    /// <summary>An inspection reported with two findings (A, in town 100, may be given its own body) and a funding check (town 101).</summary>
    public async Task<Reported> ReportedInspection(object? findingA = null)
    {
        fixture.Clock.SetToday(new DateOnly(2017, 7, 10));
        var id = await InspectionInField();
        var a = await RecordedFinding(id, findingA ?? FindingBody(area: 4, severity: "serious"));
        var b = await RecordedFinding(id, FindingBody(village: "440233100202", area: 1, severity: "minor", method: "document-review"));
        var check = await Expect(await PostJson($"/api/inspections/{id}/funding-checks", new
        {
            fund = "2017年省级扶贫开发资金", sourceLevel = "provincial", project = "村道硬化", town = "440233101",
            allocated = 200000m, arrived = 150000m, spent = 30000m, irregularities = new[] { "idle" }, idleMonths = 6, method = "document-review",
        }, Inspector()), 201);
        var checkId = check.GetProperty("id").GetGuid();

        var draft = await GetJson($"/api/inspections/{id}/report/draft", Roles.InspectionOffice);
        await Expect(await PostJson($"/api/inspections/{id}/report", new
        {
            expectedVersion = 3,
            situation = draft.GetProperty("situation").GetString(),
            problems = draft.GetProperty("problems").EnumerateArray()
                .Select(p => new { caseId = p.GetProperty("caseId").GetGuid(), summary = p.GetProperty("summary").GetString() }).ToArray(),
            opinions = "限期整改，举一反三",
            suggestions = "加强资金监管",
        }, Inspector()), 200);
        return new Reported(id, a, b, checkId);
    }

    /// <summary>Notifies town 100 (requirements on findings A and B) and town 101 (the check, plus a commendation).</summary>
    public async Task NotifiedWithDeadline(Reported r, string deadline = "2017-09-30", string notifiedOn = "2017-08-01")
    {
        fixture.Clock.SetToday(DateOnly.Parse(notifiedOn));
        await Expect(await PostJson($"/api/inspections/{r.Inspection}/notifications", new
        {
            expectedVersion = 4,
            notifiedOn,
            recipients = new object[]
            {
                new
                {
                    town = "440233100", summary = "存在识别程序和责任落实问题",
                    requirements = new[]
                    {
                        new { @case = r.FindingA, action = "重新履行公示程序", deadline },
                        new { @case = r.FindingB, action = "补齐挂钩帮扶台账", deadline },
                    },
                },
                new
                {
                    town = "440233101", summary = "资金闲置",
                    commendations = new[] { "产业帮扶成效明显" },
                    requirements = new[] { new { @case = r.Check, action = "盘活闲置资金", deadline } },
                },
            },
        }, fixture.Token(Roles.InspectionOffice)), 200);
    }

    /// <summary>
    /// The known history several tests count by hand: in town 100, finding A (area 4, serious)
    /// returned once then closed on time (09-10) and finding B (area 1, minor) still open, overdue on
    /// 2017-10-10 (where the clock is left); in town 101 an idle-funds check (area 7, minor) closed
    /// late (10-05), and a commendation.
    /// </summary>
    public async Task<Reported> LoopedHistory()
    {
        var office = fixture.Token(Roles.PovertyOffice, "扶贫办核查员");
        await SampleRegistry();
        var r = await ReportedInspection();
        await NotifiedWithDeadline(r);
        fixture.Clock.SetToday(new DateOnly(2017, 9, 10));
        await Loop(r.FindingA, "responses", new { description = "d1" }, Respondent());
        await Loop(r.FindingA, "return", new { reason = "不实" }, office);
        await Loop(r.FindingA, "responses", new { description = "d2" }, Respondent());
        await Loop(r.FindingA, "acceptance", new { }, office);
        fixture.Clock.SetToday(new DateOnly(2017, 10, 5));
        await Loop(r.Check, "responses", new { description = "已使用" }, Respondent("town:440233101"));
        await Loop(r.Check, "acceptance", new { }, office);
        fixture.Clock.SetToday(new DateOnly(2017, 10, 10));
        return r;
    }

    /// <summary>A respondent's token for a typed scope: <c>town:&lt;code&gt;</c> or <c>unit:&lt;code&gt;</c>.</summary>
    public string Respondent(string scope = "town:440233100") => fixture.Token(Roles.Respondent, $"resp-{scope[(scope.IndexOf(':') + 1)..]}", scope);

    public async Task<long> CaseVersion(Guid caseId) =>
        (await GetJson($"/api/cases/{caseId}")).GetProperty("case").GetProperty("version").GetInt64();

    public async Task<JsonElement> Loop(Guid caseId, string action, object body, string token, int status = 200)
    {
        var withVersion = new Dictionary<string, object?> { ["expectedVersion"] = await CaseVersion(caseId) };
        foreach (var p in body.GetType().GetProperties()) withVersion[p.Name] = p.GetValue(body);
        return await Expect(await PostJson($"/api/rectifications/{caseId}/{action}", withVersion, token), status);
    }
}
