using Ledger.Domain.Access;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Alba;
using Ledger.Api.Auth;
using Ledger.Domain.Common;

namespace Ledger.Tests.Fixtures;

/// <summary>"Given" states built through the real API, and small helpers for calling it.</summary>
public sealed partial class Scenarios(LedgerFixture fixture)
{
    /// <summary>The county whose tokens the helpers use (its own registry codes go in the bodies).</summary>
    public string County { get; init; } = Counties.Xinfeng;

    private string Token(string role, string user = "测试用户") => fixture.Token(role, user, county: County);

    public static readonly string RegistryFolder = Path.Combine(FindRepositoryRoot(), "data", "registry");

    public static string SampleFile(string name) => File.ReadAllText(Path.Combine(RegistryFolder, name));

    /// <summary>The shipped Xinfeng sample registry: 7 towns, 141 villages, units and pairings.</summary>
    public async Task SampleRegistry(string county = Counties.Xinfeng)
    {
        foreach (var file in new[] { "towns.csv", "villages.csv", "units.csv", "pairings.csv" })
        {
            var text = SampleFile(file);
            if (county != Counties.Xinfeng) text = text.Replace(Counties.Xinfeng, county);
            var response = await ImportCsv(text, fixture.Token(Roles.PovertyOffice, county: county));
            if (response.StatusCode != 200)
                throw new InvalidOperationException($"importing {file} answered {response.StatusCode}: {await response.ReadAsTextAsync()}");
        }
    }

    public const string LeaderUser = "wang.leader";
    public const string MemberUser = "li.member";

    /// <summary>An inspection plan as the inspection office would send it; tweak with <c>with</c>.</summary>
    public static Dictionary<string, object?> PlanBody(
        string kind = "comprehensive", int year = 2017, string[]? towns = null, string[]? units = null, int[]? areas = null,
        string? topic = null, bool cross = false, string? inspectingTown = null) => new()
    {
        ["kind"] = kind,
        ["topic"] = topic,
        ["year"] = year,
        ["towns"] = towns ?? ["440233100", "440233101"],
        ["units"] = units ?? ["wt-100"],
        ["contentAreas"] = areas ?? [],
        ["responsibilities"] = new[] { new { item = "核查资金使用", owner = "督查组组长" } },
        ["taskRequirements"] = new[] { "每个镇至少走访3个村" },
        ["plannedStart"] = $"{year}-07-01",
        ["plannedEnd"] = $"{year}-07-15",
        ["crossInspection"] = cross,
        ["inspectingTown"] = inspectingTown,
    };

    public static object Person(string user, string name, string? unit = null, string? town = null) =>
        new { user, name, unitCode = unit, townCode = town };

    public async Task<Guid> PlannedInspection(Dictionary<string, object?>? plan = null)
    {
        var response = await PostJson("/api/inspections", plan ?? PlanBody(), Token(Roles.InspectionOffice));
        return (await Expect(response, 201)).GetProperty("id").GetGuid();
    }

    /// <summary>Planned, team formed (leader from 县财政局, a member from 县审计局) and in the field.</summary>
    public async Task<Guid> InspectionInField(Dictionary<string, object?>? plan = null)
    {
        var id = await PlannedInspection(plan);
        var office = Token(Roles.InspectionOffice);
        await Expect(await PostJson($"/api/inspections/{id}/team", new
        {
            expectedVersion = 1,
            leader = Person(LeaderUser, "王组长", unit: "czj"),
            members = new[] { Person(MemberUser, "李组员", unit: "sjj") },
        }, office), 200);
        await Expect(await PostJson($"/api/inspections/{id}/fieldwork", new { expectedVersion = 2, startedOn = $"{(plan?["year"] ?? 2017)}-07-02" }, office), 200);
        return id;
    }

    public string Inspector(string user = LeaderUser) => Token(Roles.Inspector, user);

    public static object FindingBody(string? town = "440233100", string? village = "440233100201", string? unit = null,
        int area = 4, string method = "field-investigation", string severity = "serious") => new
    {
        town, unit, village, area, method, severity,
        description = "贫困户识别公示期不足7天",
        evidence = new[] { new { title = "公示照片", kind = "photo" } },   // a paper record: no file cited
        observedOn = "2017-07-03",
    };

    public async Task<Guid> RecordedFinding(Guid inspectionId, object? body = null)
    {
        var response = await PostJson($"/api/inspections/{inspectionId}/findings", body ?? FindingBody(), Inspector());
        return (await Expect(response, 201)).GetProperty("id").GetGuid();
    }

    public Task<HttpResult> PostJson(string url, object body, string? token, IDictionary<string, string>? headers = null) =>
        Send(HttpMethod.Post, url, token, JsonContent.Create(body), headers);

    /// <summary>Asserts the status (showing the body when it differs) and returns the JSON body.</summary>
    public static async Task<JsonElement> Expect(HttpResult response, int status)
    {
        if (response.StatusCode != status)
            throw new Xunit.Sdk.XunitException($"expected {status}, got {response.StatusCode}: {await response.ReadAsTextAsync()}");
        return await response.ReadJsonAsync();
    }

    public async Task<(int StatusCode, JsonElement Body)> ImportCsvJson(string csv, string? token = null)
    {
        var response = await ImportCsv(csv, token ?? Token(Roles.PovertyOffice));
        return (response.StatusCode, await response.ReadJsonAsync());
    }

    public Task<HttpResult> ImportCsv(string csv, string? token) => Send(HttpMethod.Post, "/api/registry/import", token,
        new StringContent(csv, new UTF8Encoding(false), "text/csv"));

    public Task<HttpResult> Get(string url, string? token) => Send(HttpMethod.Get, url, token);

    public async Task<JsonElement> GetJson(string url, string role = Roles.Reviewer)
    {
        var response = await Get(url, Token(role));
        if (response.StatusCode != 200)
            throw new InvalidOperationException($"GET {url} answered {response.StatusCode}: {await response.ReadAsTextAsync()}");
        return await response.ReadJsonAsync();
    }

    public async Task<HttpResult> Send(HttpMethod method, string url, string? token, HttpContent? content = null,
        IDictionary<string, string>? headers = null)
    {
        var client = fixture.Host.Server.CreateClient();
        using var request = new HttpRequestMessage(method, url) { Content = content };
        if (token is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        if (headers is not null)
            foreach (var (k, v) in headers) request.Headers.TryAddWithoutValidation(k, v);
        var response = await client.SendAsync(request);
        return new HttpResult((int)response.StatusCode, response.Content.Headers.ContentType?.MediaType,
            await response.Content.ReadAsByteArrayAsync(), response.Headers.Location?.ToString(), response.Headers.ETag?.ToString());
    }

    private static string FindRepositoryRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Ledger.sln"))) dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("Ledger.sln not found above " + AppContext.BaseDirectory);
    }
}

/// <summary>An HTTP answer, read whole.</summary>
public sealed record HttpResult(int StatusCode, string? ContentType, byte[] Body, string? Location, string? ETag = null)
{
    public Task<string> ReadAsTextAsync() => Task.FromResult(Encoding.UTF8.GetString(Body));

    public Task<JsonElement> ReadJsonAsync()
    {
        if (Body.Length == 0) return Task.FromResult(default(JsonElement));
        using var doc = JsonDocument.Parse(Body);
        return Task.FromResult(doc.RootElement.Clone());
    }
}
