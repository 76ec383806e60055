using Ledger.Api.Cases;
using Ledger.Api.Writes;
using Ledger.Domain.Access;
using Ledger.Domain.Inspections;
using Ledger.Projections.Inspections;
using Ledger.Tests.Fixtures;
using static Ledger.Tests.Fixtures.Scenarios;

namespace Ledger.Tests.Inspections;

public sealed class InspectionPathTests(LedgerFixture fixture) : IntegrationTest(fixture)
{
    private string Office => Fixture.Token(Roles.InspectionOffice, user: "督查室刘");

    private static readonly FormTeam Team = new(1,
        new TeamMember(LeaderUser, "王组长", "czj", null), [new TeamMember(MemberUser, "李组员", "sjj", null)]);

    private static RecordFundingCheck IdleAndDivertedCheck => new(
        "2017年省级扶贫开发资金", FundSourceLevel.Provincial, "村道硬化", "440233101", null, null,
        200000.00m, 200000.00m, 50000.50m, new DateOnly(2017, 2, 10),
        [FundIrregularity.Idle, FundIrregularity.Diverted], 5, null, null, InspectionMethod.DocumentReview, null, null, null);

    [Fact]
    public async Task A_planned_inspection_answers_its_location_and_shows_its_plan_with_labels()
    {
        await Given.SampleRegistry();

        var planned = await Given.PostJson("/api/inspections", PlanBody(), Office);
        var id = (await Expect<WriteAnswer>(planned, 201)).Id;
        Assert.Equal($"/api/inspections/{id}", planned.Location);
        var inspection = await Given.Get<InspectionView>($"/api/inspections/{id}");
        Assert.Equal(InspectionStatus.Planned, inspection.Status);
        Assert.Equal("已制定方案", inspection.StatusLabel);
        Assert.Equal("综合督查", inspection.KindLabel);
        Assert.Equal(8, inspection.ContentAreas.Count);
        Assert.Equal("财政扶贫资金", inspection.ContentAreaLabels[6].Label);
    }

    [Fact]
    public async Task Forming_the_team_then_starting_field_work_puts_the_inspection_in_the_field()
    {
        await Given.SampleRegistry();
        var id = await Given.PlannedInspection();

        await Expect(await Given.Post($"/api/inspections/{id}/team", Team, Office), 200);
        var started = await Expect<WriteAnswer>(await Given.Post($"/api/inspections/{id}/fieldwork",
            new StartFieldwork(2, new DateOnly(2017, 7, 2)), Given.Inspector()), 200);
        Assert.Equal(3, started.Version);
        var inspection = await Given.Get<InspectionView>($"/api/inspections/{id}");
        Assert.Equal(InspectionStatus.InField, inspection.Status);
        Assert.Equal(LeaderUser, inspection.Leader!.User);
    }

    [Fact]
    public async Task An_amended_finding_shows_the_correction_and_keeps_both_events_with_who_and_why()
    {
        await Given.SampleRegistry();
        var id = await Given.InspectionInField();

        // A finding, by a team member; amended by the leader.
        var findingResponse = await Given.PostJson($"/api/inspections/{id}/findings", FindingBody(), Given.Inspector(MemberUser));
        var findingId = (await Expect<WriteAnswer>(findingResponse, 201)).Id;
        Assert.Equal($"/api/cases/{findingId}", findingResponse.Location);
        await Expect(await Given.Post($"/api/findings/{findingId}/amendments", new AmendFinding(
            1, "复核后升级", null, Severity.Grave, null, null, [new Evidence("复核笔录", EvidenceKind.Transcript, null)],
            null, null, null, null, null, null), Given.Inspector()), 200);

        var finding = await Given.Get<CaseAnswer>($"/api/cases/{findingId}");
        var state = finding.Case;
        Assert.Equal(Severity.Grave, state.Severity);
        Assert.Equal("严重", state.SeverityLabel);
        Assert.Equal(ContentArea.IdentificationAndExit, state.Area);
        Assert.Equal("实地调查", state.MethodLabel);
        Assert.Equal(2, state.Evidence.Count);
        Assert.Equal(MemberUser, state.RecordedBy);
        Assert.Equal(2, state.Version);
        var history = finding.History;
        Assert.Equal(["finding_recorded", "finding_amended"], history.Select(h => h.Type).ToArray());
        Assert.Equal(["记录督查发现", "更正督查发现"], history.Select(h => h.Label).ToArray());
        Assert.Equal([MemberUser, LeaderUser], history.Select(h => h.User!).ToArray());
        Assert.All(history, h => Assert.Equal(Roles.Inspector, h.Role));
        Assert.Equal(Severity.Serious, ApiJson.Read<FindingRecorded>((System.Text.Json.JsonElement)history[0].Data).Severity);
        Assert.Equal("复核后升级", ApiJson.Read<FindingAmended>((System.Text.Json.JsonElement)history[1].Data).Reason);
    }

    [Fact]
    public async Task A_withdrawn_funding_check_keeps_its_figures_and_is_no_longer_a_problem()
    {
        await Given.SampleRegistry();
        var id = await Given.InspectionInField();

        // A funding check with irregularities: a problem in area 7, its severity derived; then withdrawn.
        var check = await Given.Post($"/api/inspections/{id}/funding-checks", IdleAndDivertedCheck, Given.Inspector());
        var checkId = (await Expect<WriteAnswer>(check, 201)).Id;
        await Expect(await Given.Post($"/api/findings/{checkId}/withdrawal", new WithdrawFinding(1, "资金属另一项目，重复登记"), Office), 200);

        var withdrawn = (await Given.Get<CaseAnswer>($"/api/cases/{checkId}")).Case;
        Assert.Equal(CaseStatus.Withdrawn, withdrawn.Status);
        Assert.Equal(ContentArea.FiscalFunds, withdrawn.Area);
        Assert.Equal(Severity.Grave, withdrawn.Severity);
        Assert.Equal(50000.50m, withdrawn.Funding!.Spent);
        Assert.Equal(["资金闲置", "挪用"], withdrawn.Funding.IrregularityLabels.Select(l => l.Label).ToArray());
        Assert.False(withdrawn.IsProblem);
    }

    [Fact]
    public async Task A_village_target_fills_in_its_town_and_must_lie_in_scope()
    {
        await Given.SampleRegistry();
        var id = await Given.InspectionInField();
        var caseId = await Given.RecordedFinding(id, FindingBody(town: null, village: "440233100202"));
        var state = (await Given.Get<CaseAnswer>($"/api/cases/{caseId}")).Case;
        Assert.Equal("440233100", state.TownCode);

        var before = await Fixture.EventCountAsync();
        var outside = await Given.PostJson($"/api/inspections/{id}/findings", FindingBody(town: null, village: "440233105201"), Given.Inspector());
        var problem = await Expect(outside, 400);
        Assert.Contains("neither in a covered town", problem.GetProperty("detail").GetString());
        Assert.Equal(before, await Fixture.EventCountAsync());
    }

    [Fact]
    public async Task A_funding_check_over_spent_needs_its_reason()
    {
        await Given.SampleRegistry();
        var id = await Given.InspectionInField();
        RecordFundingCheck Check(string? reason) => new(
            "县级配套资金", FundSourceLevel.County, "危房改造", "440233100", null, null,
            100m, 100m, 120m, null, null, null, reason, null, InspectionMethod.DocumentReview, null, null, null);
        var refused = await Expect(await Given.Post($"/api/inspections/{id}/funding-checks", Check(null), Given.Inspector()), 400);
        Assert.Contains("overspendReason", refused.GetProperty("detail").GetString());

        var accepted = await Expect<WriteAnswer>(await Given.Post($"/api/inspections/{id}/funding-checks", Check("垫付后补拨"), Given.Inspector()), 201);
        var state = (await Given.Get<CaseAnswer>($"/api/cases/{accepted.Id}")).Case;
        Assert.False(state.IsProblem);
        Assert.Null(state.Severity);
    }

    [Fact]
    public async Task Cross_inspection_draws_people_from_the_inspecting_town_only()
    {
        await Given.SampleRegistry();
        var id = await Given.PlannedInspection(PlanBody(towns: ["440233100"], units: [], cross: true, inspectingTown: "440233101"));
        var office = Fixture.Token(Roles.InspectionOffice);
        var leader = new TeamMember("a", "甲", null, "440233101");

        var fromInspected = await Given.Post($"/api/inspections/{id}/team",
            new FormTeam(1, leader, [new TeamMember("b", "乙", null, "440233100")]), office);
        var problem = await Expect(fromInspected, 409);
        Assert.Contains("乙 (b) belongs to town 440233100", problem.GetProperty("detail").GetString());

        await Expect(await Given.Post($"/api/inspections/{id}/team",
            new FormTeam(1, leader, [new TeamMember("c", "丙", "czj", null)]), office), 200);
    }
}
