using Ledger.Api.Cases;
using Ledger.Api.Rectifications;
using Ledger.Domain.Access;
using Ledger.Domain.Rectifications;
using Ledger.Tests.Fixtures;
using static Ledger.Tests.Fixtures.Scenarios;

namespace Ledger.Tests.Rectifications;

/// <summary>交办 → 签收: the responsible town names its 整改责任人 and 整改措施 within the county's days; the rest are listed 待签收.</summary>
public sealed class AcknowledgementTests(LedgerFixture fixture) : IntegrationTest(fixture)
{
    private static object Acknowledgement(string person = "张三", string post = "镇党委副书记", string measures = "组织村两委重新公示") =>
        new { responsiblePerson = person, responsiblePost = post, measures };

    private async Task<Reported> Notified()
    {
        await Given.SampleRegistry();
        var r = await Given.ReportedInspection();
        await Given.NotifiedWithDeadline(r);   // 2017-08-01: A and B to town 100, the check to town 101; 签收 due by 08-04 (3 days)
        return r;
    }

    [Fact]
    public async Task The_responsible_town_acknowledges_with_its_person_and_measures_and_the_rest_stay_listed_as_unacknowledged()
    {
        var r = await Notified();
        Fixture.Clock.SetToday(new DateOnly(2017, 8, 3));
        await Given.Loop(r.FindingA, "acknowledgement", Acknowledgement(), Given.Respondent());

        var requirement = (await Given.Get<CaseAnswer>($"/api/cases/{r.FindingA}")).Case.Rectification!;
        Assert.Equal(new AcknowledgementRecord("张三", "镇党委副书记", "组织村两委重新公示", "resp-440233100", new DateOnly(2017, 8, 3),
            new DateOnly(2017, 8, 4), false), requirement.Acknowledgement);

        var waiting = await Given.Get<List<BoardEntry>>("/api/rectifications/unacknowledged");
        Assert.Equal(new[] { r.FindingB, r.Check }.OrderBy(id => id), waiting.Select(e => e.CaseId).OrderBy(id => id));
        Assert.All(waiting, e => Assert.Equal("待签收", e.AcknowledgementLabel));
        Assert.Empty(await Given.Get<List<BoardEntry>>("/api/rectifications/unacknowledged?late=true"));

        // Past the last day: the two still waiting are late; town 101 sees only its own.
        Fixture.Clock.SetToday(new DateOnly(2017, 8, 5));
        var late = await Given.Get<List<BoardEntry>>("/api/rectifications/unacknowledged?late=true");
        Assert.Equal(2, late.Count);
        Assert.All(late, e => Assert.Equal("逾期未签收", e.AcknowledgementLabel));
        var own = await Given.GetWithToken<List<BoardEntry>>("/api/rectifications/unacknowledged", Given.Respondent("town:440233101"));
        Assert.Equal([r.Check], own.Select(e => e.CaseId).ToArray());

        var board = await Given.Get<BoardEntry>($"/api/rectifications/{r.FindingA}");
        Assert.Equal("已签收", board.AcknowledgementLabel);
        var summary = await Given.Get<RectificationSummary>("/api/rectification-summary");
        Assert.Equal(2, summary.Total.Unacknowledged);
        Assert.Equal(1, summary.Towns.Single(t => t.Responsible == "440233100").Unacknowledged);
    }

    [Fact]
    public async Task A_late_acknowledgement_is_recorded_as_late()
    {
        var r = await Notified();
        Fixture.Clock.SetToday(new DateOnly(2017, 8, 9));
        await Given.Loop(r.Check, "acknowledgement", Acknowledgement("李四", "镇长", "盘活资金用于产业项目"), Given.Respondent("town:440233101"));
        var acknowledgement = (await Given.Get<CaseAnswer>($"/api/cases/{r.Check}")).Case.Rectification!.Acknowledgement!;
        Assert.True(acknowledgement.Late);
        Assert.Equal(new DateOnly(2017, 8, 4), acknowledgement.DueBy);
    }

    [Fact]
    public async Task Acknowledgements_by_others_twice_or_incomplete_are_refused_and_append_nothing()
    {
        var r = await Notified();
        Fixture.Clock.SetToday(new DateOnly(2017, 8, 2));
        await Given.Loop(r.FindingA, "acknowledgement", Acknowledgement(), Given.Respondent());
        var before = await Fixture.EventCountAsync();

        await Given.Loop(r.FindingA, "acknowledgement", Acknowledgement(), Given.Respondent(), 409);                        // twice
        await Given.Loop(r.FindingB, "acknowledgement", Acknowledgement(), Fixture.Token(Roles.PovertyOffice), 403);       // the office does not sign for the town
        await Given.Loop(r.FindingB, "acknowledgement", Acknowledgement(), Given.Respondent("town:440233101"), 404);      // another town's: as if absent
        await Given.Loop(r.FindingB, "acknowledgement", Acknowledgement(measures: " "), Given.Respondent(), 400);          // no measures
        await Given.Loop(r.FindingB, "acknowledgement", new { responsiblePerson = "张三", measures = "m" }, Given.Respondent(), 400);   // no post
        await Given.Loop(r.FindingB, "acknowledgement", new { responsiblePerson = "张三", responsiblePost = "p", measures = "m", acknowledgedOn = "2017-07-30" },
            Given.Respondent(), 400);                                                                                          // before the notification
        Assert.Equal(before, await Fixture.EventCountAsync());
    }
}
