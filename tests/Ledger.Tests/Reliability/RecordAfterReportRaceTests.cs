using System.Text.Json;
using Ledger.Domain.Access;
using Ledger.Tests.Fixtures;
using static Ledger.Tests.Fixtures.Scenarios;

namespace Ledger.Tests.Reliability;

/// <summary>
/// A record (finding, funding check) racing the report of its inspection: whatever the timing, no
/// record of the inspection commits after the report. Either it commits first (and the report, decided
/// after it, sees it) or it is refused with 409; nothing is left half-written, nothing answers 500.
/// </summary>
public sealed class RecordAfterReportRaceTests(LedgerFixture fixture) : IntegrationTest(fixture)
{
    private const int Rounds = 20;

    [Fact]
    public async Task No_record_of_an_inspection_commits_after_its_report()
    {
        await Given.SampleRegistry();
        Fixture.Clock.SetToday(new DateOnly(2017, 7, 10));
        var outcomes = new List<string>();
        for (var round = 0; round < Rounds; round++)
        {
            var id = await Given.InspectionInField();
            var finding = Given.PostJson($"/api/inspections/{id}/findings", FindingBody(), Given.Inspector(MemberUser));
            var check = Given.PostJson($"/api/inspections/{id}/funding-checks", new
            {
                fund = "2017年省级扶贫开发资金", sourceLevel = "provincial", project = "村道硬化", town = "440233101",
                allocated = 100m, arrived = 100m, spent = 0m, irregularities = Array.Empty<string>(), method = "document-review",
            }, Given.Inspector(MemberUser));
            var report = Given.PostJson($"/api/inspections/{id}/report", new
            {
                expectedVersion = 3, situation = "实地督查情况", problems = Array.Empty<object>(), opinions = "限期整改",
            }, Given.Inspector());
            await Task.WhenAll(finding, check, report);
            var (f, c, rep) = ((await finding).StatusCode, (await check).StatusCode, (await report).StatusCode);
            outcomes.Add($"finding {f}, check {c}, report {rep}");
            Assert.Contains(f, new[] { 201, 409 });
            Assert.Contains(c, new[] { 201, 409 });
            Assert.Equal(200, rep);   // the records never hold the report up for long, nor make it stale

            // The final state: the cases that exist are exactly those answered 201, each sequenced before the report.
            var cases = (await Given.GetJson($"/api/cases?inspection={id}")).GetProperty("items").EnumerateArray()
                .Select(i => i.GetProperty("id").GetGuid()).ToList();
            Assert.Equal((f == 201 ? 1 : 0) + (c == 201 ? 1 : 0), cases.Count);
            foreach (var caseId in cases)
            {
                var history = (await Given.GetJson($"/api/cases/{caseId}/history")).EnumerateArray().ToList();
                var reported = history.Single(l => l.GetProperty("stream").GetString() == "inspection"
                                                   && l.GetProperty("data").TryGetProperty("problems", out _));
                var recorded = history.Where(l => l.GetProperty("stream").GetString() == "case").Min(l => l.GetProperty("sequence").GetInt64());
                Assert.True(recorded < reported.GetProperty("sequence").GetInt64(),
                    $"round {round}: case {caseId} (sequence {recorded}) committed after the report ({reported.GetProperty("sequence")})");
            }
        }
        Assert.Equal(Rounds, outcomes.Count);
    }
}
