using Ledger.Domain.Access;
using System.Text.Json;
using Ledger.Api.Auth;
using Ledger.Tests.Fixtures;
using static Ledger.Tests.Fixtures.Scenarios;

namespace Ledger.Tests.Identification;

public sealed class DecisionTests(LedgerFixture fixture) : IntegrationTest(fixture)
{
    private static string[] ProblemCodes(JsonElement answer) =>
        answer.GetProperty("problems").EnumerateArray().Select(p => p.GetProperty("code").GetString()!).ToArray();

    private async Task<Guid> Entry(string code, decimal income = 3000m, bool allGuarantees = false)
    {
        await Given.Household(code, income: income, allGuarantees: allGuarantees);
        return await Given.OpenDecision(new { subject = "household", kind = "entry", year = 2017, household = code });
    }

    [Fact]
    public async Task A_clean_household_entry_completes_without_problems_and_enrols_the_household()
    {
        await Given.SampleRegistry();
        var id = await Entry("H-001");
        var last = await Given.Steps(id, CleanEntrySteps);

        Assert.Equal("completed", last.GetProperty("state").GetString());
        Assert.Empty(ProblemCodes(last));
        var decision = await Given.GetJson($"/api/decisions/{id}");
        Assert.Equal(7, decision.GetProperty("steps").GetArrayLength());
        Assert.Equal("识别", decision.GetProperty("kindLabel").GetString());
        Assert.Equal(0, decision.GetProperty("stepsToGo").GetArrayLength());
        Assert.Equal(4, decision.GetProperty("people").GetInt32());
        Assert.Equal(3000m, decision.GetProperty("basis").GetProperty("perCapitaIncome").GetDecimal());
        Assert.Equal("扶贫办陈", decision.GetProperty("steps")[0].GetProperty("recordedBy").GetString());

        var household = await Given.GetJson("/api/households/H-001");
        Assert.Equal("enrolled", household.GetProperty("status").GetString());
        Assert.Equal("已建档立卡", household.GetProperty("statusLabel").GetString());
        Assert.Equal("张**", household.GetProperty("headNameMasked").GetString());

        var clean = await Given.GetJson("/api/decisions?problem=false&year=2017");
        Assert.Contains(clean.EnumerateArray(), d => d.GetProperty("id").GetGuid() == id);

        // A completed decision takes no further step; an entry for an enrolled household is refused.
        await Expect(await Given.PostJson($"/api/decisions/{id}/steps",
            new { expectedVersion = 8, step = "application", date = "2017-04-01" }, Given.PovertyOffice), 409);
        await Expect(await Given.PostJson("/api/decisions", new { subject = "household", kind = "entry", year = 2017, household = "H-001" }, Given.PovertyOffice), 409);
    }

    [Fact]
    public async Task A_skipped_step_is_recorded_and_flagged()
    {
        await Given.SampleRegistry();
        var id = await Entry("H-002");
        var last = await Given.Steps(id, [.. CleanEntrySteps.Where(s => s.Item1 != "town-review")]);
        Assert.Equal("completed", last.GetProperty("state").GetString());
        Assert.Equal(["skipped:town-review"], ProblemCodes(last));
        Assert.Contains("跳过步骤“镇审核”", last.GetProperty("problems")[0].GetProperty("reason").GetString());
    }

    [Fact]
    public async Task Merged_steps_a_short_notice_low_attendance_and_disorder_are_each_flagged()
    {
        await Given.SampleRegistry();
        var id = await Entry("H-003");
        var last = await Given.Steps(id,
            ("application", "2017-03-05", null),
            ("democratic-review", "2017-03-05", new { attended = 10, eligible = 20 }),
            ("village-notice", "2017-03-06", new { noticeEnd = "2017-03-10" }),
            ("town-review", "2017-03-04", null));
        var codes = ProblemCodes(last);
        Assert.Contains("merged:application+democratic-review", codes);
        Assert.Contains("low-attendance", codes);
        Assert.Contains("short-notice:village-notice", codes);
        Assert.Contains("out-of-order:town-review", codes);
        Assert.Equal("in-progress", last.GetProperty("state").GetString());
        var reasons = last.GetProperty("problems").EnumerateArray().Select(p => p.GetProperty("reason").GetString()).ToList();
        Assert.Contains(reasons, r => r!.Contains("10/20"));
        Assert.Contains(reasons, r => r!.Contains("公示 5 天，少于规定的 7 天"));

        var flagged = await Given.GetJson("/api/decisions?problem=true");
        Assert.Equal(id, Assert.Single(flagged.EnumerateArray()).GetProperty("id").GetGuid());
    }

    [Fact]
    public async Task Decisions_contrary_to_the_income_line_are_flagged()
    {
        await Given.SampleRegistry();
        var rich = await Entry("H-004", income: 5000m, allGuarantees: true);
        var opened = await Given.GetJson($"/api/decisions/{rich}");
        Assert.Equal(["above-entry-line"], ProblemCodes(opened));

        await Given.EnrolledHousehold("H-005", exitIncome: 6000m);
        var exit = await Given.OpenDecision(new { subject = "household", kind = "exit", year = 2017, household = "H-005" });
        var last = await Given.Steps(exit, CleanExitSteps);
        Assert.Equal(["below-exit-line"], ProblemCodes(last));
        Assert.Contains("6883", last.GetProperty("problems")[0].GetProperty("reason").GetString());
        Assert.Equal("exited", (await Given.GetJson("/api/households/H-005")).GetProperty("status").GetString());
    }

    [Fact]
    public async Task A_completed_village_exit_changes_the_registry_status()
    {
        await Given.SampleRegistry();
        var body = new { subject = "village", kind = "exit", year = 2017, village = "440233100201", perCapitaIncome = 9500m, registeredResidents = 1200, poorPeople = 30 };
        var id = await Given.OpenDecision(body);
        await Expect(await Given.PostJson("/api/decisions", body, Given.PovertyOffice), 409);

        var half = await Given.Steps(id, ("verification", "2017-11-01", null), ("town-review", "2017-11-05", null));
        Assert.Equal("relatively-poor", (await Given.GetJson("/api/villages/440233100201")).GetProperty("status").GetString());
        Assert.Empty(ProblemCodes(half));

        await Given.Steps(id, ("county-approval", "2017-11-20", null), ("registry-removal", "2017-12-01", null));
        var village = await Given.GetJson("/api/villages/440233100201");
        Assert.Equal("non-poor", village.GetProperty("status").GetString());
        var latest = village.GetProperty("statusHistory").EnumerateArray().Last();
        Assert.Equal("2017-12-01", latest.GetProperty("effectiveOn").GetString());
        Assert.Contains(id.ToString(), latest.GetProperty("basis").GetString());

        // It is no longer relatively poor: another exit is refused, an entry may start.
        await Expect(await Given.PostJson("/api/decisions", body, Given.PovertyOffice), 409);
    }

    [Fact]
    public async Task Bad_steps_are_refused_and_append_nothing()
    {
        await Given.SampleRegistry();
        var id = await Entry("H-006");
        var before = await Fixture.EventCountAsync();
        async Task Refused(object body, int status, string text)
        {
            var problem = await Expect(await Given.PostJson($"/api/decisions/{id}/steps", body, Given.PovertyOffice), status);
            Assert.Contains(text, problem.GetProperty("detail").GetString());
            Assert.Equal(before, await Fixture.EventCountAsync());
        }
        await Refused(new { expectedVersion = 1, step = "verification", date = "2017-03-01" }, 400, "is not a step of");
        await Refused(new { expectedVersion = 1, step = "democratic-review", date = "2017-03-01" }, 400, "attended");
        await Refused(new { expectedVersion = 1, step = "village-notice", date = "2017-03-01" }, 400, "noticeEnd");
        await Refused(new { expectedVersion = 1, step = "application", date = "2099-01-01" }, 400, "future");
        await Refused(new { expectedVersion = 7, step = "application", date = "2017-03-01" }, 409, "not 7");
        Assert.Equal(403, (await Given.PostJson($"/api/decisions/{id}/steps", new { expectedVersion = 1, step = "application", date = "2017-03-01" },
            Fixture.Token(Roles.Respondent, scope: "440233101"))).StatusCode);
        await Expect(await Given.PostJson($"/api/decisions/{id}/steps", new { expectedVersion = 1, step = "application", date = "2017-03-01" },
            Fixture.Token(Roles.Respondent, scope: "440233100")), 200);
    }

    [Fact]
    public async Task Id_numbers_are_stored_encrypted_and_shown_whole_only_to_the_poverty_office()
    {
        await Given.SampleRegistry();
        const string idNumber = "44023319800101123X";
        await Given.Household("H-007", idNumber: idNumber);

        var forReviewer = await Given.GetJson("/api/households/H-007", Roles.Reviewer);
        Assert.Equal("440233********123X", forReviewer.GetProperty("idNumberMasked").GetString());
        Assert.Equal(JsonValueKind.Null, forReviewer.GetProperty("idNumber").ValueKind);
        var forOffice = await Given.GetJson("/api/households/H-007", Roles.PovertyOffice);
        Assert.Equal(idNumber, forOffice.GetProperty("idNumber").GetString());

        await using var connection = Fixture.Store.Storage.Database.CreateConnection();
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "select count(*) from ledger.mt_events where data::text like '%19800101%'";
        Assert.Equal(0L, (long)(await command.ExecuteScalarAsync())!);
        command.CommandText = "select count(*) from ledger.mt_doc_household where data::text like '%19800101%'";
        Assert.Equal(0L, (long)(await command.ExecuteScalarAsync())!);
    }
}
