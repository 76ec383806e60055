using Ledger.Domain.Access;
using System.Text;
using Ledger.Api.Auth;
using Ledger.Tests.Fixtures;

namespace Ledger.Tests.Access;

/// <summary>
/// Every route against every caller: the offices, the inspector (on the team), the respondent
/// (scoped to town 440233100, which the case concerns), the reviewer, the accounts administrator, and anonymous. An allowed
/// caller is never answered 401 or 403 (bodies are empty, so writes are refused as bad input and
/// append nothing); a refused one gets 403, or 401 without a token, always as problem details.
/// </summary>
public sealed class RoleMatrixTests(LedgerFixture fixture) : IntegrationTest(fixture)
{
    private const string IO = "io", PO = "po", IN = "in", RS = "rs", RV = "rv", AD = "ad", AN = "an";
    private static readonly string[] Everyone = [IO, PO, IN, RS, RV];
    private static readonly string[] Offices = [IO, PO, RV];

    private static readonly (string Method, string Url, string[] Allowed)[] Routes =
    [
        ("GET", "/health", [.. Everyone, AD, AN]),
        ("GET", "/openapi/v1.json", [.. Everyone, AD, AN]),
        ("GET", "/api/towns", Everyone),
        ("GET", "/api/towns/440233100", Everyone),
        ("GET", "/api/villages?town=440233100", Everyone),
        ("GET", "/api/villages/440233100201", Everyone),
        ("GET", "/api/units", Everyone),
        ("GET", "/api/units/wt-100", Everyone),
        ("GET", "/api/inspections?year=2017", Everyone),
        ("GET", "/api/inspections/{I}", Everyone),
        ("GET", "/api/inspections/{I}/report/draft", [IO, PO, RV, IN]),
        ("GET", "/api/inspections/{I}/report", Everyone),
        ("GET", "/api/coverage/2017", Offices),
        ("GET", "/api/cases/{A}", Everyone),
        ("GET", "/api/cases/{A}/history", Everyone),
        ("GET", "/api/cases/{A}/events.ndjson", Everyone),
        ("GET", "/api/cases", Everyone),
        ("GET", "/api/cases/export.xlsx", Everyone),
        ("GET", "/api/households/H-1", Everyone),
        ("GET", "/api/decisions", [IO, PO, RV, RS]),
        ("GET", "/api/decisions/{D}", Everyone),
        ("GET", "/api/towns/440233100/accuracy?year=2017", [IO, PO, RV, RS]),
        ("GET", "/api/rectifications", [IO, PO, RV, RS]),
        ("GET", "/api/rectifications/{A}", [IO, PO, RV, RS]),
        ("GET", "/api/rectifications/export.xlsx", [IO, PO, RV, RS]),
        ("GET", "/api/rectification-summary?year=2017", Offices),
        ("GET", "/api/rectifications/verification-lateness", Offices),
        ("GET", "/api/towns/440233100/accountability?year=2017", [IO, PO, RV, RS]),
        ("GET", "/api/units/wt-100/accountability?year=2017", Offices),
        ("GET", "/api/villages/440233100201/profile", [IO, PO, RV, RS]),
        ("GET", "/api/towns/440233100/events.ndjson", Offices),
        ("GET", "/api/ledger/digest", Offices),
        ("GET", "/api/ledger/verify", Offices),
        ("GET", "/api/ledger/verify-views", Offices),
        ("GET", "/api/ledger/proof/1", Offices),
        ("GET", "/api/ledger/heads", Offices),
        ("GET", "/api/ledger/public-key", [.. Everyone, AD, AN]),
        ("GET", "/api/ledger/consistency?from=1&to=1", Offices),
        ("GET", "/api/rulebooks/2017", Everyone),
        ("GET", $"/api/evidence/{new string('0', 64)}/thumbnail", Everyone),   // a hash not held: 404 to every role allowed
        ("GET", "/api/assessments/2017/towns", Offices),
        ("GET", "/api/assessments/2017/units", Offices),
        ("GET", "/api/assessments/2017/towns/440233100", [IO, PO, RV, RS]),
        ("GET", "/api/assessments/2017/export.xlsx", Offices),
        ("GET", "/api/assessments/2017/published", Offices),
        ("GET", "/api/targets/2017/towns", Offices),
        ("GET", "/api/targets/2017/towns/440233100", [IO, PO, RV, RS]),
        ("GET", "/api/rectifications/unacknowledged", [IO, PO, RV, RS]),
        ("GET", "/api/problems/unassigned", Offices),
        ("GET", "/api/inbox", [IO, PO, RV, RS]),
        ("GET", "/api/tips", [PO]),
        ("GET", "/api/tips/{T}", [PO]),
        ("GET", "/api/audit/refused-writes", Offices),
        ("POST", "/api/registry/import", [PO]),
        ("POST", "/api/inspections", [IO, PO]),
        ("POST", "/api/inspections/{I}/team", [IO]),
        ("POST", "/api/inspections/{I}/fieldwork", [IO, IN]),
        ("POST", "/api/inspections/{I}/findings", [IN]),
        ("POST", "/api/inspections/{I}/funding-checks", [IN]),
        ("POST", "/api/inspections/{I}/identification-reviews", [IN]),
        ("POST", "/api/inspections/{I}/approval-surveys", [IN]),
        ("POST", "/api/inspections/{I}/report", [IN]),
        ("POST", "/api/inspections/{I}/notifications", [IO, PO]),
        ("POST", "/api/findings/{A}/amendments", [IO, IN]),
        ("POST", "/api/findings/{A}/withdrawal", [IO, IN]),
        ("POST", "/api/households", [PO]),
        ("POST", "/api/households/H-1/assessments", [PO]),
        ("POST", "/api/decisions", [PO]),
        ("POST", "/api/decisions/{D}/steps", [PO, RS]),
        ("POST", "/api/rectifications/{A}/responses", [PO, RS]),
        ("POST", "/api/rectifications/{A}/acceptance", [PO]),
        ("POST", "/api/rectifications/{A}/return", [PO]),
        ("POST", "/api/rectifications/{A}/extension-requests", [PO, RS]),
        ("POST", "/api/rectifications/{A}/extension-decision", [PO]),
        ("POST", "/api/rectifications/{A}/acknowledgement", [RS]),
        ("POST", "/api/rulebooks", [PO]),
        ("POST", "/api/targets", [PO]),
        ("POST", "/api/assessments/2017/publish", [PO]),
        ("POST", "/api/tips", [.. Everyone, AD, AN]),
        ("POST", "/api/tips/status", [.. Everyone, AD, AN]),
        ("POST", "/api/households/H-1/id-number", [PO]),
        ("POST", "/api/tokens/revocations", [IO, PO]),
        ("POST", "/api/tips/{T}/dismissal", [PO]),
        ("POST", "/api/tips/{T}/link", [PO]),
        ("POST", "/api/ledger/heads", Offices),
        // Accounts: the administrator only, who is refused everything else above. Who am I answers anyone (204 for nobody);
        // sign-in and the session's own token are cookie routes (AccountTests).
        ("GET", "/api/accounts", [AD]),
        ("POST", "/api/accounts", [AD]),
        ("POST", "/api/accounts/nobody/rights", [AD]),
        ("POST", "/api/accounts/nobody/disable", [AD]),
        ("POST", "/api/accounts/nobody/password", [AD]),
        ("GET", "/api/session", [.. Everyone, AD, AN]),
        ("DELETE", "/api/session", [.. Everyone, AD]),
    ];

    [Fact]
    public Task Every_route_answers_each_role_as_the_table_says_and_refusals_append_nothing() => EveryRouteAsTheTableSaysAsync(Fixture);

    /// <summary>The matrix on any deployment's host (the province tests run it on a second database).</summary>
    internal static async Task EveryRouteAsTheTableSaysAsync(LedgerFixture fixture)
    {
        var given = new Scenarios(fixture);
        await given.SampleRegistry();
        var r = await given.ReportedInspection();
        await given.NotifiedWithDeadline(r);
        await given.Household("H-1");
        var decision = await given.OpenDecision(Scenarios.HouseholdDecision("H-1", Ledger.Domain.Identification.DecisionKind.Entry));
        await given.Post("/api/tips", new Ledger.Domain.Tips.SubmitTip(null, "举报", null, null, null), null);
        var tip = (await given.Get<List<Ledger.Api.Tips.TipForHandler>>("/api/tips", Roles.PovertyOffice))[0].Id;

        var tokens = new Dictionary<string, string?>
        {
            [IO] = fixture.Token(Roles.InspectionOffice),
            [PO] = fixture.Token(Roles.PovertyOffice),
            [IN] = given.Inspector(),
            [RS] = given.Respondent("town:440233100"),
            [RV] = fixture.Token(Roles.Reviewer),
            [AD] = fixture.Token(Roles.Admin),
            [AN] = null,
        };
        var before = await fixture.EventCountAsync();
        var wrong = new List<string>();
        foreach (var (method, template, allowed) in Routes)
        {
            var url = template.Replace("{I}", r.Inspection.ToString()).Replace("{A}", r.FindingA.ToString())
                .Replace("{D}", decision.ToString()).Replace("{T}", tip.ToString());
            foreach (var (caller, token) in tokens)
            {
                // An empty body is bad input everywhere but on publish, where every field is optional: there, a future as-of.
                var json = url.EndsWith("/publish") ? "{\"asOf\": \"2999-01-01T00:00:00Z\"}" : "{}";
                HttpContent? body = method == "POST"
                    ? new StringContent(url.EndsWith("/import") ? "" : json, Encoding.UTF8, url.EndsWith("/import") ? "text/csv" : "application/json")
                    : null;
                var response = await given.Send(new HttpMethod(method), url, token, body);
                var expected = allowed.Contains(caller) ? "allowed" : caller == AN ? "401" : "403";
                var actual = response.StatusCode is 401 or 403 ? response.StatusCode.ToString() : "allowed";
                if (expected != actual) wrong.Add($"{method} {template} as {caller}: expected {expected}, got {response.StatusCode}");
                else if (actual != "allowed" && response.ContentType != "application/problem+json")
                    wrong.Add($"{method} {template} as {caller}: {response.StatusCode} without problem details");
                if (response.StatusCode >= 500) wrong.Add($"{method} {template} as {caller}: {response.StatusCode}");
            }
        }
        Assert.True(wrong.Count == 0, string.Join("\n", wrong));
        Assert.Equal(before, await fixture.EventCountAsync());

        // The refused writes were logged, and a reviewer can read them.
        var refused = await given.Get<List<Ledger.Api.Audit.RefusedWrite>>("/api/audit/refused-writes?limit=1000", Roles.Reviewer);
        Assert.Contains(refused, w => w.Path == "/api/rulebooks" && w.Status == 403 && w.Role == Roles.Reviewer);
        Assert.Contains(refused, w => w.Status == 401);
    }

    [Fact]
    public async Task A_respondent_reads_only_its_own_town_or_unit()
    {
        await Given.SampleRegistry();
        var r = await Given.ReportedInspection();
        await Given.NotifiedWithDeadline(r);
        var other = Given.Respondent("town:440233101");
        Assert.Equal(404, (await Given.Get($"/api/cases/{r.FindingA}", other)).StatusCode);   // not yours reads as not there
        Assert.Equal(200, (await Given.Get($"/api/cases/{r.Check}", other)).StatusCode);
        Assert.Equal(404, (await Given.Get($"/api/rectifications/{r.FindingA}", other)).StatusCode);
        var board = await Given.GetWithToken<List<Ledger.Api.Rectifications.BoardEntry>>("/api/rectifications", other);
        Assert.Equal(r.Check, Assert.Single(board).CaseId);
        var cases = await Given.GetWithToken<Ledger.Api.Cases.CasePage>("/api/cases", other);
        Assert.Equal(1, cases.Total);
        Assert.Equal(403, (await Given.Get("/api/villages/440233100201/profile", other)).StatusCode);
        var unitScope = Given.Respondent("unit:wt-100");
        // Typed scopes: the town's code as a unit scope is no town; a unit reads its own profile trimmed (ScopeTests).
        Assert.Equal(404, (await Given.Get($"/api/cases/{r.FindingA}", Given.Respondent("unit:440233100"))).StatusCode);
        Assert.Equal(403, (await Given.Get("/api/towns/440233100/accountability?year=2017", Given.Respondent("unit:440233100"))).StatusCode);
        Assert.Equal(404, (await Given.Get($"/api/inspections/{r.Inspection}", Given.Respondent("town:440233105"))).StatusCode);
        Assert.Equal(200, (await Given.Get("/api/units/wt-100/accountability?year=2017", unitScope)).StatusCode);
        Assert.Equal(403, (await Given.Get($"/api/inspections/{r.Inspection}/report/draft", unitScope)).StatusCode);
    }
}
