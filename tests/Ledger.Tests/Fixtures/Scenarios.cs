using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Alba;
using Ledger.Api.Auth;
using Ledger.Domain.Common;

namespace Ledger.Tests.Fixtures;

/// <summary>"Given" states built through the real API, and small helpers for calling it.</summary>
public sealed class Scenarios(LedgerFixture fixture)
{
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

    public async Task<(int StatusCode, JsonElement Body)> ImportCsvJson(string csv, string? token = null)
    {
        var response = await ImportCsv(csv, token ?? fixture.Token(Roles.PovertyOffice));
        return (response.StatusCode, await response.ReadJsonAsync());
    }

    public Task<HttpResult> ImportCsv(string csv, string? token) => Send(HttpMethod.Post, "/api/registry/import", token,
        new StringContent(csv, new UTF8Encoding(false), "text/csv"));

    public Task<HttpResult> Get(string url, string? token) => Send(HttpMethod.Get, url, token);

    public async Task<JsonElement> GetJson(string url, string role = Roles.Reviewer)
    {
        var response = await Get(url, fixture.Token(role));
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
            await response.Content.ReadAsByteArrayAsync(), response.Headers.Location?.ToString());
    }

    private static string FindRepositoryRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Ledger.sln"))) dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("Ledger.sln not found above " + AppContext.BaseDirectory);
    }
}

/// <summary>An HTTP answer, read whole.</summary>
public sealed record HttpResult(int StatusCode, string? ContentType, byte[] Body, string? Location)
{
    public Task<string> ReadAsTextAsync() => Task.FromResult(Encoding.UTF8.GetString(Body));

    public Task<JsonElement> ReadJsonAsync()
    {
        if (Body.Length == 0) return Task.FromResult(default(JsonElement));
        using var doc = JsonDocument.Parse(Body);
        return Task.FromResult(doc.RootElement.Clone());
    }
}
