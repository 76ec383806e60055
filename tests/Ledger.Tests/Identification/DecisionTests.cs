using System.Text.Json;
using Ledger.Domain.Access;
using Ledger.Api.Identification;
using Ledger.Domain.Identification;
using Ledger.Domain.Registry;
using Ledger.Projections.Registry;
using Ledger.Tests.Fixtures;
using static Ledger.Tests.Fixtures.Scenarios;

namespace Ledger.Tests.Identification;

public sealed class DecisionTests(LedgerFixture fixture) : IntegrationTest(fixture)
{
    private static string[] ProblemCodes(IReadOnlyList<DecisionProblem> problems) => problems.Select(p => p.Code).ToArray();

    private async Task<DecisionStepAnswer> Steps(Guid decision, params (string, string, object?)[] steps) =>
        ApiJson.Read<DecisionStepAnswer>(await Given.Steps(decision, steps));

    private async Task<Guid> Entry(string code, decimal income = 3000m, bool allGuarantees = false)
    {
        await Given.Household(code, income: income, allGuarantees: allGuarantees);
        return await Given.OpenDecision(HouseholdDecision(code, DecisionKind.Entry));
    }

    [Fact]
    public async Task A_clean_household_entry_completes_without_problems_and_enrols_the_household()
    {
        await Given.SampleRegistry();
        var id = await Entry("H-001");
        var last = await Steps(id, CleanEntrySteps);

        Assert.Equal(DecisionState.Completed, last.State);
        Assert.Empty(ProblemCodes(last.Problems));
        var decision = await Given.Get<IdentificationDecision>($"/api/decisions/{id}");
        Assert.Equal(7, decision.Steps.Count);
        Assert.Equal("识别", decision.KindLabel);
        Assert.Empty(decision.StepsToGo);
        Assert.Equal(4, decision.People);
        Assert.Equal(3000m, decision.Basis.PerCapitaIncome);
        Assert.Equal("扶贫办陈", decision.Steps[0].RecordedBy);

        var household = await Given.Get<HouseholdAnswer>("/api/households/H-001");
        Assert.Equal(HouseholdStatus.Enrolled, household.Status);
        Assert.Equal("已建档立卡", household.StatusLabel);
        Assert.Equal("张**", household.HeadNameMasked);

        var clean = await Given.Get<List<IdentificationDecision>>("/api/decisions?problem=false&year=2017");
        Assert.Contains(clean, d => d.Id == id);
    }

    [Fact]
    public async Task A_completed_decision_takes_no_further_step_and_an_enrolled_household_no_second_entry()
    {
        await Given.SampleRegistry();
        var id = await Entry("H-001");
        await Steps(id, CleanEntrySteps);

        await Expect(await Given.Post($"/api/decisions/{id}/steps",
            new RecordDecisionStep(8, DecisionStep.Application, new DateOnly(2017, 4, 1), null, null, null, null, null, null, null), Given.PovertyOffice), 409);
        await Expect(await Given.Post("/api/decisions", HouseholdDecision("H-001", DecisionKind.Entry), Given.PovertyOffice), 409);
    }

    [Fact]
    public async Task A_skipped_step_is_recorded_and_flagged()
    {
        await Given.SampleRegistry();
        var id = await Entry("H-002");
        var last = await Steps(id, [.. CleanEntrySteps.Where(s => s.Item1 != "town-review")]);
        Assert.Equal(DecisionState.Completed, last.State);
        Assert.Equal(["skipped:town-review"], ProblemCodes(last.Problems));
        Assert.Contains("跳过步骤“镇审核”", last.Problems[0].Reason);
    }

    [Fact]
    public async Task Merged_steps_a_short_notice_low_attendance_and_disorder_are_each_flagged()
    {
        await Given.SampleRegistry();
        var id = await Entry("H-003");
        var last = await Steps(id,
            ("application", "2017-03-05", null),
            ("democratic-review", "2017-03-05", new { attended = 10, eligible = 20 }),
            ("village-notice", "2017-03-06", new { noticeEnd = "2017-03-10" }),
            ("town-review", "2017-03-04", null));
        var codes = ProblemCodes(last.Problems);
        Assert.Contains("merged:application+democratic-review", codes);
        Assert.Contains("low-attendance", codes);
        Assert.Contains("short-notice:village-notice", codes);
        Assert.Contains("out-of-order:town-review", codes);
        Assert.Equal(DecisionState.InProgress, last.State);
        var reasons = last.Problems.Select(p => p.Reason).ToList();
        Assert.Contains(reasons, r => r!.Contains("10/20"));
        Assert.Contains(reasons, r => r!.Contains("公示 5 天，少于规定的 7 天"));

        var flagged = await Given.Get<List<IdentificationDecision>>("/api/decisions?problem=true");
        Assert.Equal(id, Assert.Single(flagged).Id);
    }

    [Fact]
    public async Task An_entry_above_the_income_line_is_flagged()
    {
        await Given.SampleRegistry();
        var rich = await Entry("H-004", income: 5000m, allGuarantees: true);
        var opened = await Given.Get<IdentificationDecision>($"/api/decisions/{rich}");
        Assert.Equal(["above-entry-line"], ProblemCodes(opened.Problems));
    }

    [Fact]
    public async Task An_exit_below_the_income_line_is_flagged_and_still_exits_the_household()
    {
        await Given.SampleRegistry();
        await Given.EnrolledHousehold("H-005", exitIncome: 6000m);
        var exit = await Given.OpenDecision(HouseholdDecision("H-005", DecisionKind.Exit));
        var last = await Steps(exit, CleanExitSteps);
        Assert.Equal(["below-exit-line"], ProblemCodes(last.Problems));
        Assert.Contains("6883", last.Problems[0].Reason);
        Assert.Equal(HouseholdStatus.Exited, (await Given.Get<HouseholdAnswer>("/api/households/H-005")).Status);
    }

    [Fact]
    public async Task A_household_without_capacity_to_work_exits_under_the_safety_net_whatever_its_income()
    {
        await Given.SampleRegistry();
        async Task<string[]> ExitProblems(string code, bool safetyNet)
        {
            await Given.EnrolledHousehold(code);
            await Expect(await Given.PostJson($"/api/households/{code}/assessments", new
            {
                expectedVersion = 3, year = 2017, perCapitaIncome = 3000m, capacityToWork = false, safetyNet,
                guarantees = new { schooling = true, medical = true, housing = true },
            }, Given.PovertyOffice), 200);
            var exit = await Given.OpenDecision(HouseholdDecision(code, DecisionKind.Exit));
            return ProblemCodes((await Given.Get<IdentificationDecision>($"/api/decisions/{exit}")).Problems);
        }
        Assert.Empty(await ExitProblems("H-020", safetyNet: true));                  // 3,000 yuan, below the 6,883 line: not its path
        Assert.Equal(["no-safety-net"], await ExitProblems("H-021", safetyNet: false));
    }

    [Fact]
    public async Task The_exit_line_is_the_countys_setting_for_the_year_with_its_source()
    {
        await Given.SampleRegistry();
        async Task<IdentificationDecision> Exit(string code, decimal income)
        {
            Fixture.Clock.SetToday(new DateOnly(2017, 12, 31));
            await Given.EnrolledHousehold(code);
            Fixture.Clock.SetToday(new DateOnly(2019, 12, 1));
            await Expect(await Given.PostJson($"/api/households/{code}/assessments", new
            {
                expectedVersion = 3, year = 2019, perCapitaIncome = income,
                guarantees = new { schooling = true, medical = true, housing = true },
            }, Given.PovertyOffice), 200);
            var exit = await Given.OpenDecision(new { subject = "household", kind = "exit", year = 2019, household = code });
            return await Given.Get<IdentificationDecision>($"/api/decisions/{exit}");
        }
        var below = await Exit("H-030", LedgerFixture.CountyExitLine2019);   // "超过" the line: exactly at it is below
        Assert.Equal(["below-exit-line"], ProblemCodes(below.Problems));
        Assert.Contains("7900", below.Problems[0].Reason);
        Assert.Contains(LedgerFixture.CountyExitLine2019Source, below.Problems[0].Reason);
        Assert.Equal(new CountySetting("householdExitLine", LedgerFixture.CountyExitLine2019, LedgerFixture.CountyExitLine2019Source), below.Basis.ExitLine);
        var above = await Exit("H-031", LedgerFixture.CountyExitLine2019 + 0.01m);
        Assert.Empty(ProblemCodes(above.Problems));
    }

    [Fact]
    public async Task A_completed_village_exit_changes_the_registry_status()
    {
        await Given.SampleRegistry();
        var body = new OpenDecision(DecisionSubject.Village, DecisionKind.Exit, 2017, "440233100201", null, 9500m, 1200, 30);
        var id = await Given.OpenDecision(body);
        await Expect(await Given.Post("/api/decisions", body, Given.PovertyOffice), 409);

        var half = await Steps(id, ("verification", "2017-11-01", null), ("town-review", "2017-11-05", null));
        Assert.Equal(VillageStatus.RelativelyPoor, (await Given.Get<VillageView>("/api/villages/440233100201")).Status);
        Assert.Empty(ProblemCodes(half.Problems));

        await Steps(id, ("county-approval", "2017-11-20", null), ("registry-removal", "2017-12-01", null));
        var village = await Given.Get<VillageView>("/api/villages/440233100201");
        Assert.Equal(VillageStatus.NonPoor, village.Status);
        var latest = village.StatusHistory.Last();
        Assert.Equal(new DateOnly(2017, 12, 1), latest.EffectiveOn);
        Assert.Contains(id.ToString(), latest.Basis);

        // It is no longer relatively poor: another exit is refused, an entry may start.
        await Expect(await Given.Post("/api/decisions", body, Given.PovertyOffice), 409);
    }

    [Fact]
    public async Task Bad_steps_are_refused_and_append_nothing()
    {
        await Given.SampleRegistry();
        var id = await Entry("H-006");
        var before = await Fixture.EventCountAsync();
        static RecordDecisionStep Step(long version, DecisionStep step, string date) =>
            new(version, step, DateOnly.Parse(date), null, null, null, null, null, null, null);
        async Task Refused(RecordDecisionStep body, int status, string text)
        {
            var problem = await Expect(await Given.Post($"/api/decisions/{id}/steps", body, Given.PovertyOffice), status);
            Assert.Contains(text, problem.GetProperty("detail").GetString());
            Assert.Equal(before, await Fixture.EventCountAsync());
        }
        await Refused(Step(1, DecisionStep.Verification, "2017-03-01"), 400, "is not a step of");
        await Refused(Step(1, DecisionStep.DemocraticReview, "2017-03-01"), 400, "attended");
        await Refused(Step(1, DecisionStep.VillageNotice, "2017-03-01"), 400, "noticeEnd");
        await Refused(Step(1, DecisionStep.Application, "2099-01-01"), 400, "future");
        await Refused(Step(7, DecisionStep.Application, "2017-03-01"), 409, "not 7");
        // Another town's decision reads as none at all (docs/access.md).
        Assert.Equal(404, (await Given.Post($"/api/decisions/{id}/steps", Step(1, DecisionStep.Application, "2017-03-01"),
            Fixture.Token(Roles.Respondent, scope: "town:440233101"))).StatusCode);
        await Expect(await Given.Post($"/api/decisions/{id}/steps", Step(1, DecisionStep.Application, "2017-03-01"),
            Fixture.Token(Roles.Respondent, scope: "town:440233100")), 200);
    }

    [Fact]
    public async Task Id_numbers_are_stored_encrypted_masked_to_their_ends_and_revealed_only_on_a_recorded_request()
    {
        await Given.SampleRegistry();
        const string idNumber = "44023319800101123X";
        await Given.Household("H-007", idNumber: idNumber);

        // Every role, the poverty office too, reads the number masked to its first and last character.
        foreach (var role in new[] { Roles.Reviewer, Roles.PovertyOffice, Roles.InspectionOffice })
        {
            var read = await Given.Get<JsonElement>("/api/households/H-007", role);
            Assert.Equal("4****************X", read.GetProperty("idNumberMasked").GetString());
            Assert.DoesNotContain("19800101", read.GetRawText());
            Assert.DoesNotContain("440233********123X", read.GetRawText());
        }

        // The whole number: the poverty office alone, with a reason, and the request is recorded.
        var before = await Fixture.EventCountAsync();
        var body = new { expectedVersion = 2, reason = "核对低保申请人身份" };
        foreach (var role in new[] { Roles.Reviewer, Roles.InspectionOffice, Roles.Inspector })
            Assert.Equal(403, (await Given.PostJson("/api/households/H-007/id-number", body, Fixture.Token(role))).StatusCode);
        Assert.Equal(403, (await Given.PostJson("/api/households/H-007/id-number", body, Fixture.Token(Roles.Respondent, scope: "town:440233100"))).StatusCode);
        await Expect(await Given.PostJson("/api/households/H-007/id-number", new { expectedVersion = 2 }, Given.PovertyOffice), 400);
        await Expect(await Given.PostJson("/api/households/H-404/id-number", body, Given.PovertyOffice), 404);
        Assert.Equal(before, await Fixture.EventCountAsync());
        var revealed = await Expect<IdNumberAnswer>(await Given.PostJson("/api/households/H-007/id-number", body, Given.PovertyOffice), 200);
        Assert.Equal((idNumber, 3L), (revealed.IdNumber, revealed.Version));
        Assert.Equal(before + 1, await Fixture.EventCountAsync());

        // The reviewer reads who asked and why, in the town's events.
        var lines = (await (await Given.Get("/api/towns/440233100/events.ndjson", Fixture.Token(Roles.Reviewer))).ReadAsTextAsync())
            .Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        var reveal = Assert.Single(lines, l => l.GetProperty("type").GetString() == "id_number_revealed");
        Assert.Equal("扶贫办陈", reveal.GetProperty("user").GetString());
        Assert.Equal("核对低保申请人身份", reveal.GetProperty("data").GetProperty("reason").GetString());
        Assert.Equal("查看完整身份证号", reveal.GetProperty("label").GetString());

        await using var connection = Fixture.Store.Storage.Database.CreateConnection();
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "select count(*) from ledger.mt_events where data::text like '%19800101%'";
        Assert.Equal(0L, (long)(await command.ExecuteScalarAsync())!);
        command.CommandText = "select count(*) from ledger.mt_doc_household where data::text like '%19800101%'";
        Assert.Equal(0L, (long)(await command.ExecuteScalarAsync())!);
    }

    [Fact]
    public async Task An_id_number_masked_by_the_earlier_looser_rule_is_masked_again_wherever_it_is_shown()
    {
        await Given.SampleRegistry();
        await Given.Household("H-008", idNumber: "44023319800101123X");
        // As an earlier version stored it: first 6 and last 4 kept, in the event and in the document.
        await Fixture.ExecuteAsync("""
            update ledger.mt_events set data = jsonb_set(data, '{IdNumberMasked}', '"440233********123X"') where type = 'household_registered';
            update ledger.mt_doc_household set data = jsonb_set(data, '{IdNumberMasked}', '"440233********123X"');
            """);
        var read = await Given.Get<JsonElement>("/api/households/H-008", Roles.Reviewer);
        Assert.Equal("4****************X", read.GetProperty("idNumberMasked").GetString());
        var export = await (await Given.Get("/api/towns/440233100/events.ndjson", Fixture.Token(Roles.Reviewer))).ReadAsTextAsync();
        Assert.Contains("4****************X", export);
        Assert.DoesNotContain("440233********", export);
    }
}
