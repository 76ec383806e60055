using System.Text.Json;
using Ledger.Api.Auth;
using Ledger.Domain.Access;
using Ledger.Tests.Fixtures;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using System.Security.Claims;

namespace Ledger.Tests.Access;

/// <summary>
/// Who reads what of a shared record, typed scopes, and writes that check access before existence.
/// <see cref="Scenarios.ReportedInspection"/> covers towns 100 and 101: findings A and B are town 100's,
/// the funding check town 101's; each town is notified of its own.
/// </summary>
public sealed class ScopeTests(LedgerFixture fixture) : IntegrationTest(fixture)
{
    private const string Town100Summary = "存在识别程序和责任落实问题";
    private const string Town100Description = "贫困户识别公示期不足7天";

    private async Task<Scenarios.Reported> NotifiedInspection()
    {
        await Given.SampleRegistry();
        var r = await Given.ReportedInspection();
        await Given.NotifiedWithDeadline(r);
        return r;
    }

    private async Task<string> Text(string url, string token, string? accept = null)
    {
        var response = await Given.Send(HttpMethod.Get, url, token, headers: accept is null ? null : new Dictionary<string, string> { ["Accept"] = accept });
        Assert.True(response.StatusCode == 200, $"GET {url}: {response.StatusCode}");
        return await response.ReadAsTextAsync();
    }

    [Fact]
    public async Task Every_read_of_a_shared_inspection_shows_a_town_only_its_own_problems_and_notifications()
    {
        var r = await NotifiedInspection();
        var town101 = Given.Respondent("town:440233101");
        var reviewer = Fixture.Token(Roles.Reviewer);
        string[] reads =
        [
            $"/api/inspections/{r.Inspection}", "/api/inspections?year=2017", $"/api/inspections/{r.Inspection}/report",
            $"/api/cases/{r.Check}/history", $"/api/cases/{r.Check}/events.ndjson",
        ];
        foreach (var url in reads)
        {
            // The reviewer sees town 100's problems and notification: the assertion below could fail.
            var whole = await Text(url, reviewer);
            Assert.Contains(r.FindingA.ToString(), whole);
            Assert.Contains(r.Check.ToString(), whole);

            var trimmed = await Text(url, town101);
            Assert.Contains(r.Check.ToString(), trimmed);
            foreach (var foreign in new[] { r.FindingA.ToString(), r.FindingB.ToString(), Town100Summary, Town100Description })
                Assert.False(trimmed.Contains(foreign), $"GET {url} shows town 101 '{foreign}' of town 100");
        }
        var markdown = await Text($"/api/inspections/{r.Inspection}/report", town101, "text/markdown");
        Assert.Contains(r.Check.ToString(), markdown);
        Assert.DoesNotContain(r.FindingA.ToString(), markdown);

        // The town's own view keeps its notification and its problem; the team sees the whole.
        var own = await Given.GetWithToken<JsonElement>($"/api/inspections/{r.Inspection}", town101);
        Assert.Equal("440233101", Assert.Single(own.GetProperty("notifications").EnumerateArray()).GetProperty("townCode").GetString());
        Assert.Equal(r.Check, Assert.Single(own.GetProperty("report").GetProperty("problems").EnumerateArray()).GetProperty("caseId").GetGuid());
        var team = await Given.GetWithToken<JsonElement>($"/api/inspections/{r.Inspection}", Given.Inspector(Scenarios.MemberUser));
        Assert.Equal(3, team.GetProperty("report").GetProperty("problems").GetArrayLength());
        Assert.Equal(2, team.GetProperty("notifications").GetArrayLength());
    }

    [Fact]
    public async Task A_paired_unit_sees_in_a_village_profile_only_the_cases_about_itself()
    {
        var r = await NotifiedInspection();
        const string profile = "/api/villages/440233100201/profile";   // village of finding A, paired with 县教育局 (jyj)
        var town = await Given.GetWithToken<JsonElement>(profile, Given.Respondent("town:440233100"));
        Assert.Equal(r.FindingA, Assert.Single(town.GetProperty("findings").EnumerateArray()).GetProperty("id").GetGuid());

        var paired = await Given.GetWithToken<JsonElement>(profile, Given.Respondent("unit:jyj"));
        Assert.Equal(0, paired.GetProperty("findings").GetArrayLength());
        Assert.Equal("jyj", Assert.Single(paired.GetProperty("pairingUnits").EnumerateArray()).GetProperty("code").GetString());
        Assert.Equal(403, (await Given.Get(profile, Given.Respondent("unit:wjj"))).StatusCode);   // paired elsewhere
    }

    [Fact]
    public async Task A_unit_whose_code_equals_a_town_code_gets_none_of_the_towns_rights()
    {
        var r = await NotifiedInspection();
        var lookalike = Given.Respondent("unit:440233100");
        var town = Given.Respondent("town:440233100");
        foreach (var url in new[] { $"/api/cases/{r.FindingA}", $"/api/rectifications/{r.FindingA}", $"/api/cases/{r.FindingA}/history" })
        {
            Assert.Equal(200, (await Given.Get(url, town)).StatusCode);
            Assert.Equal(404, (await Given.Get(url, lookalike)).StatusCode);
        }
        Assert.Equal(200, (await Given.Get("/api/towns/440233100/accountability?year=2017", town)).StatusCode);
        Assert.Equal(403, (await Given.Get("/api/towns/440233100/accountability?year=2017", lookalike)).StatusCode);
        Assert.Equal(403, (await Given.Get("/api/towns/440233100/accuracy?year=2017", lookalike)).StatusCode);
        Assert.Equal(403, (await Given.Get("/api/assessments/2017/towns/440233100", lookalike)).StatusCode);
        Assert.Equal(404, (await Given.Get($"/api/inspections/{r.Inspection}", lookalike)).StatusCode);
        Assert.Equal(0, (await Given.GetWithToken<Ledger.Api.Cases.CasePage>("/api/cases", lookalike)).Total);
        Assert.Empty(await Given.GetWithToken<List<Ledger.Api.Rectifications.BoardEntry>>("/api/rectifications", lookalike));
        Assert.Equal(2, (await Given.GetWithToken<Ledger.Api.Cases.CasePage>("/api/cases", town)).Total);
        var before = await Fixture.EventCountAsync();
        await Given.Loop(r.FindingA, "responses", new { description = "冒名反馈" }, lookalike, 404);
        Assert.Equal(before, await Fixture.EventCountAsync());

        // The registry refuses such a unit in the first place, naming the line.
        var (status, body) = await Given.ImportCsvJson("unit_code,name,kind,leading_group_member\n440233100,冒名单位,county-department,否\n");
        Assert.Equal(400, status);
        Assert.Contains("is the code of a town", body.ToString());
        Assert.Equal(before, await Fixture.EventCountAsync());
    }

    [Fact]
    public async Task A_token_with_an_untyped_scope_is_refused()
    {
        await Given.SampleRegistry();
        Assert.Throws<ArgumentException>(() => Fixture.Token(Roles.Respondent, scope: "440233100"));
        var settings = Fixture.Host.Services.GetRequiredService<JwtSettings>();
        string Legacy(string? scope)
        {
            var claims = new List<Claim> { new(LedgerClaims.User, "old"), new(LedgerClaims.Role, Roles.Respondent), new(LedgerClaims.County, "440233") };
            if (scope is not null) claims.Add(new Claim(LedgerClaims.Scope, scope));
            return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
            {
                Subject = new ClaimsIdentity(claims), Issuer = settings.Issuer, Audience = settings.Audience,
                Expires = DateTime.UtcNow.AddHours(1), SigningCredentials = new SigningCredentials(settings.Key(), SecurityAlgorithms.HmacSha256),
            });
        }
        Assert.Equal(200, (await Given.Get("/api/towns/440233100/accountability?year=2017", Legacy("town:440233100"))).StatusCode);
        Assert.Equal(401, (await Given.Get("/api/towns/440233100/accountability?year=2017", Legacy("440233100"))).StatusCode);
        Assert.Equal(401, (await Given.Get("/api/towns", Legacy(null))).StatusCode);
    }

    /// <summary>A refusal's shape: status, member names, and the detail with the id it names taken out.</summary>
    private static async Task<(int Status, string Members, string Detail)> Shape(HttpResult response, Guid id)
    {
        var body = await response.ReadJsonAsync();
        var members = string.Join(",", body.EnumerateObject().Select(p => p.Name).Where(n => n != "traceId").Order());
        return (response.StatusCode, members, body.GetProperty("detail").GetString()!.Replace(id.ToString(), "{id}"));
    }

    [Fact]
    public async Task An_outsider_cannot_tell_an_existing_record_or_its_version_from_a_random_id()
    {
        var r = await NotifiedInspection();
        await Given.Household("H-1");
        var decision = await Given.OpenDecision(Scenarios.HouseholdDecision("H-1", Ledger.Domain.Identification.DecisionKind.Entry));
        var stranger = Fixture.Token(Roles.Inspector, "stranger");
        var town101 = Given.Respondent("town:440233101");
        var town105 = Given.Respondent("town:440233105");
        var writes = new (string Url, Guid Id, object Body, string Token)[]
        {
            ("/api/rectifications/{id}/responses", r.FindingA, new { expectedVersion = 1, description = "x" }, town101),
            ("/api/rectifications/{id}/extension-requests", r.FindingA, new { expectedVersion = 1, requestedDeadline = "2017-12-31", reason = "x" }, town101),
            ("/api/findings/{id}/amendments", r.FindingA, new { expectedVersion = 1, reason = "x" }, stranger),
            ("/api/findings/{id}/withdrawal", r.FindingA, new { expectedVersion = 1, reason = "x" }, stranger),
            ("/api/inspections/{id}/report", r.Inspection, new { expectedVersion = 1, situation = "x", problems = Array.Empty<object>(), opinions = "x" }, stranger),
            ("/api/inspections/{id}/fieldwork", r.Inspection, new { expectedVersion = 1 }, stranger),
            ("/api/inspections/{id}/findings", r.Inspection, Scenarios.FindingBody(), stranger),
            ("/api/inspections/{id}/funding-checks", r.Inspection, new { town = "440233101" }, stranger),
            ("/api/decisions/{id}/steps", decision, new { expectedVersion = 1 }, town105),
        };
        var before = await Fixture.EventCountAsync();
        foreach (var (url, id, body, token) in writes)
        {
            var random = Guid.NewGuid();
            var existing = await Given.PostJson(url.Replace("{id}", id.ToString()), body, token);
            var unknown = await Given.PostJson(url.Replace("{id}", random.ToString()), body, token);
            var (existingShape, unknownShape) = (await Shape(existing, id), await Shape(unknown, random));
            Assert.True(existingShape == unknownShape, $"{url}: existing {existingShape} vs random {unknownShape}");
            Assert.Equal(404, existing.StatusCode);
            Assert.DoesNotContain("currentVersion", await existing.ReadAsTextAsync());
        }
        Assert.Equal(before, await Fixture.EventCountAsync());

        // The same write from one who may read the record still learns its version.
        var stale = await Given.PostJson($"/api/rectifications/{r.FindingA}/responses", new { expectedVersion = 1, description = "x" },
            Given.Respondent("town:440233100"));
        Assert.Equal(409, stale.StatusCode);
        Assert.Contains("currentVersion", await stale.ReadAsTextAsync());
    }
}
