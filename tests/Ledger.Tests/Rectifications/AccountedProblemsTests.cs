using Ledger.Api.Cases;
using Ledger.Api.Rectifications;
using Ledger.Domain.Access;
using Ledger.Domain.Inspections;
using Ledger.Domain.Rectifications;
using Ledger.Tests.Fixtures;
using static Ledger.Tests.Fixtures.Scenarios;

namespace Ledger.Tests.Rectifications;

/// <summary>Every problem accounted for: a notification gives each problem of its recipient a requirement or a reason for none (无需整改).</summary>
public sealed class AccountedProblemsTests(LedgerFixture fixture) : IntegrationTest(fixture)
{
    private static readonly DateOnly Deadline = new(2017, 9, 30);
    private string Office => Fixture.Token(Roles.InspectionOffice);

    private async Task<Reported> Reported()
    {
        await Given.SampleRegistry();
        var r = await Given.ReportedInspection();
        Fixture.Clock.SetToday(new DateOnly(2017, 8, 1));
        return r;
    }

    [Fact]
    public async Task A_notification_that_leaves_a_problem_of_its_recipient_out_is_refused_and_appends_nothing()
    {
        var r = await Reported();
        var before = await Fixture.EventCountAsync();
        var leftOut = await Given.Post($"/api/inspections/{r.Inspection}/notifications", new NotifyResults(4, null,
            [new RecipientInput("440233100", null, "s", null, [new RequirementInput(r.FindingA, "a", Deadline)])]), Office);
        Assert.Contains($"problem {r.FindingB} is given neither a requirement nor a reason", (await Expect(leftOut, 400)).GetProperty("detail").GetString());
        var noReason = await Given.Post($"/api/inspections/{r.Inspection}/notifications", new NotifyResults(4, null,
            [new RecipientInput("440233100", null, "s", null, [new RequirementInput(r.FindingA, "a", Deadline)], [new NotRequiredInput(r.FindingB, " ")])]), Office);
        await Expect(noReason, 400);
        var both = await Given.Post($"/api/inspections/{r.Inspection}/notifications", new NotifyResults(4, null,
            [new RecipientInput("440233100", null, "s", null, [new RequirementInput(r.FindingA, "a", Deadline)],
                [new NotRequiredInput(r.FindingA, "r"), new NotRequiredInput(r.FindingB, "r")])]), Office);
        await Expect(both, 400);
        Assert.Equal(before, await Fixture.EventCountAsync());
    }

    [Fact]
    public async Task A_problem_given_no_requirement_keeps_its_reason_and_problems_never_assigned_are_listed()
    {
        var r = await Reported();
        var unassigned = await Given.Get<List<UnassignedProblem>>("/api/problems/unassigned");
        Assert.Equal(new[] { r.FindingA, r.FindingB, r.Check }.OrderBy(id => id), unassigned.Select(p => p.CaseId).OrderBy(id => id));
        Assert.All(unassigned, p => Assert.Equal(InspectionStatus.ReportSubmitted, p.InspectionStatus));

        await Expect(await Given.Post($"/api/inspections/{r.Inspection}/notifications", new NotifyResults(4, null,
            [new RecipientInput("440233100", null, "s", null, [new RequirementInput(r.FindingA, "a", Deadline)],
                [new NotRequiredInput(r.FindingB, "督查期间已当场整改到位")])]), Office), 200);

        var b = await Given.Get<CaseAnswer>($"/api/cases/{r.FindingB}");
        Assert.Equal("督查期间已当场整改到位", b.Case.NotRequiredReason);
        Assert.Null(b.Case.Rectification);
        Assert.Equal("rectification_not_required", b.History[^1].Type);
        // Town 101 has not been notified: its check is still never assigned.
        var left = Assert.Single(await Given.Get<List<UnassignedProblem>>("/api/problems/unassigned"));
        Assert.Equal(r.Check, left.CaseId);
        Assert.Equal(InspectionStatus.Closed, left.InspectionStatus);
    }
}
