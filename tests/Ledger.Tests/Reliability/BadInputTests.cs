using Ledger.Domain.Access;
using System.Text;
using Ledger.Api.Auth;
using Ledger.Tests.Fixtures;
using static Ledger.Tests.Fixtures.Scenarios;

namespace Ledger.Tests.Reliability;

/// <summary>What users or attackers send: every write route answers a clear 4xx and the ledger stays as it was.</summary>
public sealed class BadInputTests(LedgerFixture fixture) : IntegrationTest(fixture)
{
    private static readonly (string Name, byte[] Body)[] BadBodies =
    [
        ("malformed JSON", "{not json"u8.ToArray()),
        ("JSON of the wrong shape", "[1, 2, 3]"u8.ToArray()),
        ("an unknown field", "{\"unknownField\": 1}"u8.ToArray()),
        ("a wrong type", "{\"expectedVersion\": \"three\"}"u8.ToArray()),
        ("NaN", "{\"expectedVersion\": NaN}"u8.ToArray()),
        ("an empty body", []),
        ("invalid UTF-8", [(byte)'{', (byte)'"', 0xC3, 0x28, (byte)'"', (byte)':', (byte)'1', (byte)'}']),
        ("empty and blank strings", "{\"description\": \"   \", \"reason\": \"\", \"situation\": \" \", \"summary\": \"\"}"u8.ToArray()),
        ("a 100,000-character string", Encoding.UTF8.GetBytes($"{{\"description\": \"{new string('长', 100_000)}\"}}")),
        ("a body over the size limit", Encoding.UTF8.GetBytes($"{{\"description\": \"{new string('x', 2_000_000)}\"}}")),
    ];

    [Fact]
    public async Task Every_write_route_refuses_bad_bodies_with_a_4xx_and_appends_nothing()
    {
        await Given.SampleRegistry();
        var r = await Given.ReportedInspection();
        await Given.NotifiedWithDeadline(r);
        await Given.Household("H-1");
        var decision = await Given.OpenDecision(new { subject = "household", kind = "entry", year = 2017, household = "H-1" });
        await Given.PostJson("/api/tips", new { description = "举报" }, null);
        var tip = (await Given.GetJson("/api/tips", Roles.PovertyOffice))[0].GetProperty("id").GetGuid();
        var io = Fixture.Token(Roles.InspectionOffice);
        var po = Fixture.Token(Roles.PovertyOffice);
        var inspector = Given.Inspector();
        (string Url, string? Token)[] routes =
        [
            ("/api/inspections", io), ($"/api/inspections/{r.Inspection}/team", io), ($"/api/inspections/{r.Inspection}/fieldwork", io),
            ($"/api/inspections/{r.Inspection}/findings", inspector), ($"/api/inspections/{r.Inspection}/funding-checks", inspector),
            ($"/api/inspections/{r.Inspection}/identification-reviews", inspector), ($"/api/inspections/{r.Inspection}/approval-surveys", inspector),
            ($"/api/inspections/{r.Inspection}/report", inspector), ($"/api/inspections/{r.Inspection}/notifications", io),
            ($"/api/findings/{r.FindingA}/amendments", io), ($"/api/findings/{r.FindingA}/withdrawal", io),
            ("/api/households", po), ("/api/households/H-1/assessments", po), ("/api/decisions", po), ($"/api/decisions/{decision}/steps", po),
            ($"/api/rectifications/{r.FindingA}/responses", po), ($"/api/rectifications/{r.FindingA}/acceptance", po),
            ($"/api/rectifications/{r.FindingA}/return", po), ($"/api/rectifications/{r.FindingA}/extension-requests", po),
            ($"/api/rectifications/{r.FindingA}/extension-decision", po), ("/api/rulebooks", po), ("/api/assessments/2017/publish", po),
            ("/api/tips", null), ($"/api/tips/{tip}/dismissal", po), ($"/api/tips/{tip}/link", po),
        ];

        var before = await Fixture.EventCountAsync();
        var wrong = new List<string>();
        foreach (var (url, token) in routes)
            foreach (var (name, body) in BadBodies)
            {
                var content = new ByteArrayContent(body) { Headers = { { "Content-Type", "application/json" } } };
                var response = await Given.Send(HttpMethod.Post, url, token, content);
                if (response.StatusCode is < 400 or >= 500 || response.ContentType != "application/problem+json")
                    wrong.Add($"{url} with {name}: {response.StatusCode} {response.ContentType}");
                if (name.Contains("size limit") && response.StatusCode != 413) wrong.Add($"{url} with {name}: {response.StatusCode}, not 413");
            }
        foreach (var (name, csv) in new[] { ("empty", ""), ("not CSV", "\u0001\u0002garbage"), ("header only", "town_code,name,kind\n") })
        {
            var response = await Given.ImportCsv(csv, po);
            if (name != "header only" && response.StatusCode != 400) wrong.Add($"import {name}: {response.StatusCode}");
        }
        var hugeCsv = await Given.ImportCsv("town_code,name,kind\n" + new string('x', 21 * 1024 * 1024), po);
        if (hugeCsv.StatusCode != 413) wrong.Add($"import of 21 MiB: {hugeCsv.StatusCode}");

        Assert.True(wrong.Count == 0, string.Join("\n", wrong));
        Assert.Equal(before, await Fixture.EventCountAsync());
    }

    [Fact]
    public async Task Script_and_sql_fragments_are_stored_verbatim_and_returned_escaped()
    {
        await Given.SampleRegistry();
        Fixture.Clock.SetToday(new DateOnly(2017, 7, 10));
        var id = await Given.InspectionInField();
        const string hostile = "<script>alert('x')</script>'; drop table ledger.mt_events; -- \"quoted\" & 中文";
        var body = new Dictionary<string, object?>
        {
            ["town"] = "440233100", ["area"] = 4, ["method"] = "field-investigation", ["severity"] = "minor", ["description"] = hostile,
        };
        var caseId = await Given.RecordedFinding(id, body);
        var response = await Given.Get($"/api/cases/{caseId}", Fixture.Token(Roles.Reviewer));
        var raw = Encoding.UTF8.GetString(response.Body);
        Assert.DoesNotContain("<script>", raw);
        Assert.Contains("\\u003Cscript\\u003E", raw);
        Assert.Contains("中文", raw);
        Assert.Equal(hostile, (await response.ReadJsonAsync()).GetProperty("case").GetProperty("description").GetString());
        Assert.True(await Fixture.EventCountAsync() > 0);
    }

    [Fact]
    public async Task Impossible_values_are_refused()
    {
        await Given.SampleRegistry();
        Fixture.Clock.SetToday(new DateOnly(2017, 7, 10));
        var id = await Given.InspectionInField();
        var caseId = await Given.RecordedFinding(id);
        var before = await Fixture.EventCountAsync();
        var office = Fixture.Token(Roles.InspectionOffice);
        var plan = PlanBody(year: 1900);
        Assert.Equal(400, (await Given.PostJson("/api/inspections", plan, office)).StatusCode);
        Assert.Equal(400, (await Given.PostJson($"/api/inspections/{id}/findings", new
        {
            town = "440233100", area = 4, method = "field-investigation", severity = "minor", description = "d", observedOn = "2030-01-01",
        }, Given.Inspector())).StatusCode);
        Assert.Equal(400, (await Given.PostJson($"/api/inspections/{id}/findings", new
        {
            town = "440233100", area = 4, method = "field-investigation", severity = "minor", description = "a\u0001b",
        }, Given.Inspector())).StatusCode);
        // An id of the wrong kind: a case where an inspection is expected, and the other way round.
        Assert.Equal(404, (await Given.PostJson($"/api/inspections/{caseId}/findings", FindingBody(), Given.Inspector())).StatusCode);
        Assert.Equal(404, (await Given.PostJson($"/api/findings/{id}/withdrawal", new { expectedVersion = 1, reason = "r" }, office)).StatusCode);
        Assert.Equal(404, (await Given.Get("/api/cases/not-a-guid", office)).StatusCode);
        Assert.Equal(400, (await Given.Get("/api/cases?page=abc", office)).StatusCode);
        Assert.Equal(before, await Fixture.EventCountAsync());
    }
}
