using System.Text.Json;
using Ledger.Api.Cases;
using Ledger.Api.FollowUp;
using Ledger.Domain.Access;
using Ledger.Tests.Fixtures;
using static Ledger.Tests.Fixtures.Scenarios;

namespace Ledger.Tests.Rectifications;

/// <summary>
/// Follow-up and accountability (issue 19, practice): 约谈 and 通报批评 recorded by the offices as events on
/// every case they name, and 线索移交 to the discipline inspection office with its receipt and outcome
/// recorded by the reviewer. Refusals append nothing.
/// </summary>
public sealed class FollowUpTests(LedgerFixture fixture) : IntegrationTest(fixture)
{
    private async Task<Reported> Notified()
    {
        await Given.SampleRegistry();
        var r = await Given.ReportedInspection();
        await Given.NotifiedWithDeadline(r);
        Fixture.Clock.SetToday(new DateOnly(2017, 10, 20));
        return r;
    }

    private async Task<IReadOnlyList<EventLine>> History(Guid caseId, string token) =>
        await Given.GetWithToken<List<EventLine>>($"/api/cases/{caseId}/history", token);

    /// <summary>POST to <c>/api/cases/{id}/{action}</c> at the case's current version; asserts the status.</summary>
    private async Task Act(Guid caseId, string action, object body, string token, int status = 200)
    {
        var withVersion = new Dictionary<string, object?> { ["expectedVersion"] = await Given.CaseVersion(caseId) };
        foreach (var p in body.GetType().GetProperties()) withVersion[p.Name] = p.GetValue(body);
        await Expect(await Given.PostJson($"/api/cases/{caseId}/{action}", withVersion, token), status);
    }

    private static string DataOf(EventLine line) =>
        JsonSerializer.Serialize(line.Data, new JsonSerializerOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });

    private async Task<(long, long, long)> Versions(Reported r) =>
        (await Given.CaseVersion(r.FindingA), await Given.CaseVersion(r.FindingB), await Given.CaseVersion(r.Check));

    private static object Interview(object cases, string heldOn = "2017-10-18", string? name = "张某", string role = "") => new
    {
        cases, intervieweeName = name, intervieweePost = "黄磜镇党委书记", interviewedBy = "县委副书记 李某", heldOn,
        subject = "整改逾期、台账不实",
    };

    [Fact]
    public async Task An_interview_is_an_event_on_each_case_it_names_seen_in_their_histories()
    {
        var r = await Notified();
        var office = Fixture.Token(Roles.InspectionOffice, "督查室周");
        var before = await Versions(r);
        var answer = await Expect(await Given.PostJson("/api/interviews", Interview(new[] { r.FindingA, r.FindingB }), office), 201);
        var interviewId = answer.GetProperty("id").GetGuid();

        foreach (var caseId in new[] { r.FindingA, r.FindingB })
        {
            var line = Assert.Single(await History(caseId, Given.Respondent()), l => l.Label == "约谈");
            var data = DataOf(line);
            Assert.Contains(interviewId.ToString(), data);
            Assert.Contains("张某", data);
            Assert.Contains("黄磜镇党委书记", data);
            Assert.Contains("县委副书记 李某", data);
            Assert.Contains("2017-10-18", data);
            Assert.Contains(r.FindingA.ToString(), data);
            Assert.Contains(r.FindingB.ToString(), data);
            Assert.Equal("督查室周", line.User);
        }
        Assert.DoesNotContain(await History(r.Check, Fixture.Token(Roles.Reviewer)), l => l.Label == "约谈");
        var shown = Assert.Single((await Given.GetWithToken<CaseAnswer>($"/api/cases/{r.FindingB}", Given.Respondent())).Case.Interviews!);
        Assert.Equal((interviewId, "张某", new DateOnly(2017, 10, 18)), (shown.InterviewId, shown.IntervieweeName, shown.HeldOn));
        Assert.Equal((before.Item1 + 1, before.Item2 + 1, before.Item3), await Versions(r));
    }

    [Fact]
    public async Task Interviews_are_refused_to_others_and_for_bad_input_with_nothing_appended()
    {
        var r = await Notified();
        var office = Fixture.Token(Roles.PovertyOffice);
        var before = await Versions(r);
        Assert.Equal(403, (await Given.PostJson("/api/interviews", Interview(new[] { r.FindingA }), Given.Respondent())).StatusCode);
        Assert.Equal(403, (await Given.PostJson("/api/interviews", Interview(new[] { r.FindingA }), Fixture.Token(Roles.Reviewer))).StatusCode);
        Assert.Equal(403, (await Given.PostJson("/api/interviews", Interview(new[] { r.FindingA }), Given.Inspector())).StatusCode);
        Assert.Equal(400, (await Given.PostJson("/api/interviews", Interview(Array.Empty<Guid>()), office)).StatusCode);
        Assert.Equal(400, (await Given.PostJson("/api/interviews", Interview(new[] { r.FindingA }, heldOn: "2017-10-21"), office)).StatusCode);
        Assert.Equal(400, (await Given.PostJson("/api/interviews", Interview(new[] { r.FindingA }, name: " "), office)).StatusCode);
        Assert.Equal(404, (await Given.PostJson("/api/interviews", Interview(new[] { r.FindingA, Guid.NewGuid() }), office)).StatusCode);
        Assert.Equal(before, await Versions(r));
    }

    [Fact]
    public async Task A_criticism_names_a_town_and_its_cases_issued_by_an_office_on_behalf_of_the_leading_group()
    {
        var r = await Notified();
        var office = Fixture.Token(Roles.PovertyOffice, "扶贫办陈");
        var before = await Versions(r);
        // A case of another town cannot be in a criticism of town 100: refused, nothing appended.
        Assert.Equal(400, (await Given.PostJson("/api/criticisms", new
        {
            cases = new[] { r.FindingA, r.Check }, town = "440233100", reason = "整改不力",
        }, office)).StatusCode);
        Assert.Equal(400, (await Given.PostJson("/api/criticisms", new
        {
            cases = new[] { r.FindingA }, town = "440233100", unit = "gdj", reason = "整改不力",
        }, office)).StatusCode);
        Assert.Equal(403, (await Given.PostJson("/api/criticisms", new
        {
            cases = new[] { r.FindingA }, town = "440233100", reason = "整改不力",
        }, Fixture.Token(Roles.Reviewer))).StatusCode);
        Assert.Equal(before, await Versions(r));

        var answer = await Expect(await Given.PostJson("/api/criticisms", new
        {
            cases = new[] { r.FindingA, r.FindingB }, town = "440233100", reason = "整改不力，逾期未反馈",
        }, office), 201);
        var line = Assert.Single(await History(r.FindingB, Given.Respondent()), l => l.Label == "通报批评");
        var data = JsonDocument.Parse(DataOf(line)).RootElement;
        Assert.Equal(answer.GetProperty("id").GetGuid(), data.GetProperty("noticeId").GetGuid());
        Assert.Equal("440233100", data.GetProperty("criticisedTown").GetString());
        Assert.Equal("县脱贫攻坚领导小组", data.GetProperty("onBehalfOf").GetString());
        Assert.Equal(Roles.PovertyOffice, data.GetProperty("issuingOffice").GetString());
        Assert.Equal("扶贫办陈", data.GetProperty("issuedBy").GetString());
        Assert.Equal("2017-10-20", data.GetProperty("issuedOn").GetString());
        Assert.Single(await History(r.FindingA, Given.Respondent()), l => l.Label == "通报批评");
        Assert.Equal("整改不力，逾期未反馈", Assert.Single((await Given.GetWithToken<CaseAnswer>($"/api/cases/{r.FindingA}", Given.Respondent())).Case.Criticisms!).Reason);
        // The case's version moved with the notice: the town answers at it.
        await Given.Loop(r.FindingA, "responses", new { description = "已整改" }, Given.Respondent());
    }

    [Fact]
    public async Task A_lead_is_handed_over_by_an_office_and_its_receipt_and_outcome_recorded_by_the_reviewer()
    {
        var r = await Notified();
        var office = Fixture.Token(Roles.InspectionOffice);
        var reviewer = Fixture.Token(Roles.Reviewer, "纪检王");
        await Act(r.FindingA, "lead-receipt", new { receivedBy = "纪委信访室 刘某" }, reviewer, 409);  // nothing handed over yet
        await Act(r.FindingA, "lead-handover", new { summary = "涉嫌优亲厚友" }, Given.Respondent(), 403);
        await Act(r.FindingA, "lead-handover", new { summary = "涉嫌优亲厚友" }, reviewer, 403);
        await Act(r.FindingA, "lead-handover", new { summary = "" }, office, 400);
        var before = await Given.CaseVersion(r.FindingA);

        await Act(r.FindingA, "lead-handover", new { summary = "涉嫌优亲厚友", handedOverOn = "2017-10-19" }, office);
        await Act(r.FindingA, "lead-handover", new { summary = "再次移交" }, office, 409);  // one open at a time
        var open = Assert.Single(await Given.Get<List<OpenLead>>("/api/lead-handovers", Roles.PovertyOffice));
        Assert.Equal((r.FindingA, "县纪委监委", "待签收"), (open.CaseId, open.Lead.Recipient, open.Lead.StageLabel));
        Assert.Equal(403, (await Given.Get("/api/lead-handovers", Given.Respondent())).StatusCode);

        await Act(r.FindingA, "lead-outcome", new { outcome = "立案审查" }, reviewer, 409);  // not received yet
        await Act(r.FindingA, "lead-receipt", new { receivedBy = "纪委信访室 刘某" }, office, 403);
        await Act(r.FindingA, "lead-receipt", new { receivedBy = "纪委信访室 刘某", receivedOn = "2017-10-18" }, reviewer, 400);  // before the hand-over
        Assert.Equal(before + 1, await Given.CaseVersion(r.FindingA));
        await Act(r.FindingA, "lead-receipt", new { receivedBy = "纪委信访室 刘某" }, reviewer);
        await Act(r.FindingA, "lead-receipt", new { receivedBy = "纪委信访室 刘某" }, reviewer, 409);
        Assert.Equal("待处置", Assert.Single(await Given.Get<List<OpenLead>>("/api/lead-handovers")).Lead.StageLabel);

        await Act(r.FindingA, "lead-outcome", new { outcome = "立案审查，给予党内警告处分" }, reviewer);
        Assert.Empty(await Given.Get<List<OpenLead>>("/api/lead-handovers"));
        var labels = (await History(r.FindingA, office)).Select(l => l.Label).ToList();
        Assert.Equal(["问题线索移交", "线索移交回执", "线索处置结果"], labels.Where(l => l.Contains("线索")).ToList());
        var answer = await Given.GetJson($"/api/cases/{r.FindingA}");
        Assert.Equal("立案审查，给予党内警告处分", answer.GetProperty("case").GetProperty("lead").GetProperty("outcome").GetString());
        // Once disposed of, a new lead may be handed over.
        await Act(r.FindingA, "lead-handover", new { summary = "新线索" }, office);
    }

    [Fact]
    public async Task A_recheck_is_due_after_the_county_days_and_a_problem_found_back_reopens_as_a_new_linked_case()
    {
        var r = await Given.LoopedHistory();   // finding A closed 2017-09-10, the check 2017-10-05; B open; today 2017-10-10
        var office = Fixture.Token(Roles.InspectionOffice, "督查室周");
        var back = new
        {
            problemBack = true, findings = "公示材料缺失，问题反弹", description = "重新履行的公示程序仍不完整",
            action = "再次完整履行公示程序", deadline = "2018-01-31",
        };
        var before = await Given.CaseVersion(r.FindingA);
        await Given.Loop(r.FindingA, "recheck", back, office, 409);                      // 90 days after closing: not yet
        await Given.Loop(r.FindingB, "recheck", back, office, 409);                      // not closed
        await Given.Loop(r.FindingA, "recheck", back, Given.Respondent(), 403);
        await Given.Loop(r.FindingA, "recheck", back, Fixture.Token(Roles.Reviewer), 403);

        Fixture.Clock.SetToday(new DateOnly(2017, 12, 8));
        Assert.Empty(await Given.Get<List<RecheckDue>>("/api/rectifications/due-for-recheck"));
        await Given.Loop(r.FindingA, "recheck", back, office, 409);
        Fixture.Clock.SetToday(new DateOnly(2017, 12, 9));
        var due = Assert.Single(await Given.Get<List<RecheckDue>>("/api/rectifications/due-for-recheck", Roles.PovertyOffice));
        Assert.Equal((r.FindingA, new DateOnly(2017, 9, 10), new DateOnly(2017, 12, 9)), (due.CaseId, due.ClosedOn, due.DueOn));
        Assert.Equal(403, (await Given.Get("/api/rectifications/due-for-recheck", Given.Respondent())).StatusCode);
        await Given.Loop(r.FindingA, "recheck", new { problemBack = true, findings = "反弹", description = "仍不完整" }, office, 400);  // no new requirement
        Assert.Equal(before, await Given.CaseVersion(r.FindingA));

        var answer = await Given.Loop(r.FindingA, "recheck", back, office);
        var recurrence = answer.GetProperty("recurrenceCaseId").GetGuid();
        Assert.NotEqual(r.FindingA, recurrence);
        Assert.Empty(await Given.Get<List<RecheckDue>>("/api/rectifications/due-for-recheck"));
        await Given.Loop(r.FindingA, "recheck", back, office, 409);                      // re-checked once

        // Both cases show the link in their history, and the town reads both.
        var town = Given.Respondent();
        var old = Assert.Single(await History(r.FindingA, town), l => l.Label == "回头看");
        var oldData = JsonDocument.Parse(DataOf(old)).RootElement;
        Assert.Equal(recurrence, oldData.GetProperty("recurrenceCaseId").GetGuid());
        Assert.True(oldData.GetProperty("problemBack").GetBoolean());
        var link = Assert.Single(await History(recurrence, town), l => l.Label == "回头看发现问题反弹");
        Assert.Equal(r.FindingA, JsonDocument.Parse(DataOf(link)).RootElement.GetProperty("previousCaseId").GetGuid());

        // The new case is an open problem of the same inspection and town, with a new requirement to the same town.
        var reopened = (await Given.GetWithToken<CaseAnswer>($"/api/cases/{recurrence}", town)).Case;
        Assert.Equal((r.Inspection, "440233100", r.FindingA), (reopened.InspectionId, reopened.TownCode, reopened.RecurrenceOf));
        Assert.True(reopened.IsProblem);
        Assert.Equal("重新履行的公示程序仍不完整", reopened.Description);
        Assert.Equal(("440233100", "再次完整履行公示程序", new DateOnly(2018, 1, 31)),
            (reopened.Rectification!.ResponsibleTown, reopened.Rectification.Action, reopened.Rectification.Deadline));
        var closed = (await Given.GetWithToken<CaseAnswer>($"/api/cases/{r.FindingA}", town)).Case;
        Assert.Equal((true, (Guid?)recurrence), (closed.Recheck!.ProblemBack, closed.Recheck.RecurrenceCaseId));

        // A re-check that finds the problem solved opens nothing.
        Fixture.Clock.SetToday(new DateOnly(2018, 1, 3));
        var solved = await Given.Loop(r.Check, "recheck", new { problemBack = false, findings = "资金已全部使用，未反弹" }, office);
        Assert.Equal(JsonValueKind.Null, solved.GetProperty("recurrenceCaseId").ValueKind);
    }
}
