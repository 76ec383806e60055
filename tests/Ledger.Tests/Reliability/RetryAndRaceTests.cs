using Ledger.Domain.Access;
using System.Net.Http.Json;
using Ledger.Api.Auth;
using Ledger.Tests.Fixtures;
using static Ledger.Tests.Fixtures.Scenarios;

namespace Ledger.Tests.Reliability;

public sealed class RetryAndRaceTests(LedgerFixture fixture) : IntegrationTest(fixture)
{
    private Task<HttpResult> Post(string url, object body, string token, string key) =>
        Given.PostJson(url, body, token, new Dictionary<string, string> { ["Idempotency-Key"] = key });

    [Fact]
    public async Task A_retry_with_the_same_key_gets_the_first_answer_and_appends_nothing()
    {
        await Given.SampleRegistry();
        var office = Fixture.Token(Roles.InspectionOffice);
        var first = await Post("/api/inspections", PlanBody(), office, "plan-2017-1");
        var firstBody = await Expect(first, 201);
        var count = await Fixture.EventCountAsync();

        var retry = await Post("/api/inspections", PlanBody(), office, "plan-2017-1");
        Assert.Equal(201, retry.StatusCode);
        Assert.Equal(first.Location, retry.Location);
        Assert.Equal(firstBody.GetProperty("id").GetGuid(), (await retry.ReadJsonAsync()).GetProperty("id").GetGuid());
        Assert.Equal(count, await Fixture.EventCountAsync());

        var other = await Post("/api/inspections", PlanBody(towns: ["440233105"]), office, "plan-2017-1");
        Assert.Equal(422, other.StatusCode);
        Assert.Equal(count, await Fixture.EventCountAsync());

        // Keys belong to their user: another user's same key is a new request.
        var colleague = await Post("/api/inspections", PlanBody(), Fixture.Token(Roles.InspectionOffice, "另一人"), "plan-2017-1");
        Assert.Equal(201, colleague.StatusCode);
        Assert.Equal(count + 1, await Fixture.EventCountAsync());
    }

    [Fact]
    public async Task Concurrent_retries_of_one_request_record_it_once()
    {
        await Given.SampleRegistry();
        var office = Fixture.Token(Roles.InspectionOffice);
        var before = await Fixture.EventCountAsync();
        var answers = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Post("/api/inspections", PlanBody(), office, "burst")));
        Assert.All(answers, a => Assert.True(a.StatusCode is 201 or 409, $"answered {a.StatusCode}"));
        Assert.Contains(answers, a => a.StatusCode == 201);
        Assert.Equal(before + 1, await Fixture.EventCountAsync());
        var ids = answers.Where(a => a.StatusCode == 201).Select(a => a.Location).Distinct();
        Assert.Single(ids);
    }

    [Fact]
    public async Task A_refusal_is_replayed_too_and_appends_nothing()
    {
        await Given.SampleRegistry();
        var office = Fixture.Token(Roles.InspectionOffice);
        var bad = PlanBody(towns: ["440233999"]);
        var first = await Post("/api/inspections", bad, office, "bad-plan");
        var again = await Post("/api/inspections", bad, office, "bad-plan");
        Assert.Equal((400, 400), (first.StatusCode, again.StatusCode));
        Assert.Equal(await first.ReadAsTextAsync(), await again.ReadAsTextAsync());
        Assert.Equal(7 + 141 + 19 + 26, await Fixture.EventCountAsync());
    }

    [Fact]
    public async Task If_match_carries_the_expected_version()
    {
        await Given.SampleRegistry();
        Fixture.Clock.SetToday(new DateOnly(2017, 7, 10));
        var id = await Given.InspectionInField();
        var caseId = await Given.RecordedFinding(id);
        var office = Fixture.Token(Roles.InspectionOffice);
        Task<HttpResult> Amend(object body, string ifMatch) =>
            Given.PostJson($"/api/findings/{caseId}/amendments", body, office, new Dictionary<string, string> { ["If-Match"] = ifMatch });

        var read = await Given.Get($"/api/cases/{caseId}", office);
        Assert.Equal("\"1\"", read.ETag);
        await Expect(await Amend(new { reason = "r", severity = "grave" }, read.ETag!), 200);
        var stale = await Expect(await Amend(new { reason = "r", severity = "minor" }, "\"1\""), 409);
        Assert.Equal(2, stale.GetProperty("currentVersion").GetInt64());
        await Expect(await Amend(new { expectedVersion = 1, reason = "r", severity = "minor" }, "W/\"2\""), 400);
        await Expect(await Amend(new { reason = "r", severity = "minor" }, "W/\"2\""), 200);
    }

    [Fact]
    public async Task Two_verifiers_racing_on_one_response_never_both_win()
    {
        await Given.SampleRegistry();
        var r = await Given.ReportedInspection();
        await Given.NotifiedWithDeadline(r);
        var a = Fixture.Token(Roles.PovertyOffice, "核查员甲");
        var b = Fixture.Token(Roles.PovertyOffice, "核查员乙");
        for (var round = 0; round < 15; round++)
        {
            await Given.Loop(r.FindingB, "responses", new { description = $"第{round}次反馈" }, Given.Respondent());
            var version = await Given.CaseVersion(r.FindingB);
            var before = await Fixture.EventCountAsync();
            var answers = await Task.WhenAll(
                Given.PostJson($"/api/rectifications/{r.FindingB}/return", new { expectedVersion = version, reason = "甲退回" }, a),
                Given.PostJson($"/api/rectifications/{r.FindingB}/return", new { expectedVersion = version, reason = "乙退回" }, b));
            Assert.Equal([200, 409], answers.Select(x => x.StatusCode).Order().ToArray());
            Assert.Equal(before + 1, await Fixture.EventCountAsync());
        }
        var requirement = (await Given.GetJson($"/api/cases/{r.FindingB}")).GetProperty("case").GetProperty("rectification");
        Assert.Equal(15, requirement.GetProperty("returns").GetInt32());
    }
}
