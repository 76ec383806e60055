using System.Diagnostics;
using System.Text.Json.Nodes;
using Ledger.Api.Http;
using Ledger.Domain.Inspections;
using Ledger.Tests.Fixtures;

namespace Ledger.Tests.Contract;

/// <summary>
/// The OpenAPI document the host serves, as client generators and linters read it: linted to zero
/// findings by Redocly CLI (<c>recommended</c>) and Spectral (<c>spectral:oas</c>) with the checked-in
/// rulesets in tools/lint, and held to the conventions of <see cref="ApiDocument"/> (docs/api.md).
/// A route added later that breaks them fails here.
/// </summary>
public sealed class ApiDocumentTests(LedgerFixture fixture) : IntegrationTest(fixture)
{
    private static readonly string[] Methods = ["get", "put", "post", "delete", "patch"];

    private async Task<(string Text, JsonObject Document)> DocumentAsync()
    {
        var response = await Given.Get("/openapi/v1.json", null);
        Assert.Equal(200, response.StatusCode);
        var text = await response.ReadAsTextAsync();
        if (Environment.GetEnvironmentVariable("LEDGER_OPENAPI_OUT") is { Length: > 0 } path) await File.WriteAllTextAsync(path, text);
        return (text, JsonNode.Parse(text)!.AsObject());
    }

    private static IEnumerable<(string Path, string Method, JsonObject Operation)> Operations(JsonObject document) =>
        from path in document["paths"]!.AsObject()
        from method in path.Value!.AsObject()
        where Methods.Contains(method.Key)
        select (path.Key, method.Key, method.Value!.AsObject());

    [Fact]
    public async Task Redocly_and_Spectral_find_nothing_in_the_document()
    {
        var (text, _) = await DocumentAsync();
        var file = Path.Combine(Path.GetTempPath(), $"ledger-openapi-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(file, text);
        try
        {
            var redocly = await Lint.RunAsync("redocly", "lint", "--config", Lint.Config("redocly.yaml"), "--format", "json", file);
            var totals = JsonNode.Parse(redocly.Output[redocly.Output.IndexOf('{')..])!["totals"]!;
            Assert.True(totals["errors"]!.GetValue<int>() == 0 && totals["warnings"]!.GetValue<int>() == 0,
                $"Redocly (recommended) found problems:\n{redocly.Output}\n{redocly.Errors}");

            var spectral = await Lint.RunAsync("spectral", "lint", "--ruleset", Lint.Config(".spectral.yaml"), "--fail-severity", "hint",
                "--format", "text", file);
            Assert.True(spectral.ExitCode == 0, $"Spectral (spectral:oas) found problems:\n{spectral.Output}\n{spectral.Errors}");
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task Every_operation_has_a_unique_id_a_summary_and_a_feature_tag()
    {
        var (_, document) = await DocumentAsync();
        var operations = Operations(document).ToList();
        Assert.True(operations.Count > 60, $"only {operations.Count} operations in the document");
        var ids = operations.Select(o => (string?)o.Operation["operationId"]).ToList();
        Assert.All(ids, id => Assert.Matches("^[a-z][A-Za-z0-9]+$", id ?? ""));
        Assert.Empty(ids.GroupBy(id => id).Where(g => g.Count() > 1).Select(g => g.Key));
        var featureTags = ApiDocument.Features.Values.Select(f => f.Tag).ToHashSet();
        foreach (var (path, method, operation) in operations)
        {
            var tags = operation["tags"]!.AsArray().Select(t => (string)t!).ToList();
            Assert.True(tags.Count == 1 && featureTags.Contains(tags[0]),
                $"{method.ToUpperInvariant()} {path} is tagged [{string.Join(", ", tags)}]: add its folder to ApiDocument.Features");
            Assert.False(string.IsNullOrWhiteSpace((string?)operation["summary"]), $"{method} {path} has no summary");
        }
        // Names a client generator turns into methods, from the endpoint classes.
        Assert.Equal("planInspection", (string?)document["paths"]!["/api/inspections"]!["post"]!["operationId"]);
        Assert.Equal("getTown", (string?)document["paths"]!["/api/towns/{code}"]!["get"]!["operationId"]);
        Assert.Equal("listTowns", (string?)document["paths"]!["/api/towns"]!["get"]!["operationId"]);
        Assert.Equal("督查 Inspections", (string?)document["paths"]!["/api/inspections"]!["post"]!["tags"]![0]);
        // One success answer with a body per operation (a client generator warns of divergent ones; a 204 beside it
        // carries no schema to diverge), downloads by their media type.
        foreach (var (path, method, operation) in operations)
        {
            var successes = operation["responses"]!.AsObject().Where(r => r.Key.StartsWith('2')).ToList();
            Assert.True(successes.Count >= 1 && successes.Count(r => r.Value?["content"] is not null) <= 1,
                $"{method} {path} has several success answers with a body");
        }
        Assert.NotNull(document["paths"]!["/api/cases/export.xlsx"]!["get"]!["responses"]!["200"]!["content"]!
            ["application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"]);
        Assert.NotNull(document["paths"]!["/api/inspections"]!["post"]!["requestBody"]!["content"]!["application/json"]!["example"]);
        var described = document["tags"]!.AsArray().Select(t => t!.AsObject()).ToList();
        Assert.All(described, t => Assert.False(string.IsNullOrWhiteSpace((string?)t["description"])));
    }

    [Fact]
    public async Task Anonymous_routes_need_no_token_and_every_other_route_needs_the_bearer_token()
    {
        var (_, document) = await DocumentAsync();
        var scheme = document["components"]!["securitySchemes"]![ApiDocument.Bearer]!;
        Assert.Equal("http", (string?)scheme["type"]);
        Assert.Equal("bearer", (string?)scheme["scheme"]);
        string[] anonymous = ["POST /api/tips", "POST /api/tips/status", "POST /api/tips/evidence", "GET /api/ledger/public-key", "POST /api/session", "GET /api/session"];
        foreach (var (path, method, operation) in Operations(document))
        {
            var route = $"{method.ToUpperInvariant()} {path}";
            var security = operation["security"]!.AsArray();
            if (anonymous.Contains(route))
                Assert.True(security.Count == 0, $"{route} is anonymous but asks for {security.ToJsonString()}");
            else
                Assert.True(security.Count == 1 && security[0]!.AsObject().ContainsKey(ApiDocument.Bearer), $"{route} asks for {security.ToJsonString()}");
        }
    }

    [Fact]
    public async Task Integers_are_integers_and_required_members_follow_the_records()
    {
        var (text, document) = await DocumentAsync();
        Assert.DoesNotContain("\"pattern\": \"^-?(?:0|[1-9]\\\\d*)$\"", text);
        var schemas = document["components"]!["schemas"]!;
        // PlanInspection: every member nullable (Decide answers what is missing), so none is required.
        var plan = schemas[nameof(PlanInspection)]!;
        Assert.Null(plan["required"]);
        var year = plan["properties"]!["year"]!["type"]!.AsArray().Select(t => (string)t!).ToList();
        Assert.Equal(["null", "integer"], year.Order().Reverse());
        // A response record: its non-nullable members are required, its nullable ones are not.
        var town = schemas["TownView"]!;
        var required = town["required"]!.AsArray().Select(r => (string)r!).ToList();
        Assert.Contains("code", required);
        Assert.Contains("name", required);
        Assert.DoesNotContain("kindLabel", required);   // computed from the kind: read-only
        Assert.True((bool?)town["properties"]!["kindLabel"]!["readOnly"]);
        Assert.Equal(LedgerFixture.PublicUrl, (string?)document["servers"]![0]!["url"]);

        // The input is as strict as the document: a number sent as a string is refused, nothing appended.
        var response = await Given.Send(HttpMethod.Post, "/api/inspections", Fixture.Token(Ledger.Domain.Access.Roles.InspectionOffice),
            new StringContent("""{"kind":"comprehensive","year":"2025","towns":["440233101"]}""", System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(400, response.StatusCode);
        Assert.Equal(0, await Fixture.EventCountAsync());
    }
}

/// <summary>The linters of tools/lint (installed by ./test.sh with <c>npm ci</c>), run on a file.</summary>
internal static class Lint
{
    /// <summary>The repository's root: the folder above the test assembly that holds Ledger.sln.</summary>
    public static string Root { get; } = FindRoot();

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Ledger.sln"))) return dir.FullName;
        throw new InvalidOperationException("Ledger.sln not found above " + AppContext.BaseDirectory);
    }

    public static string Config(string name) => Path.Combine(Root, "tools", "lint", name);

    public static async Task<(int ExitCode, string Output, string Errors)> RunAsync(string tool, params string[] arguments)
    {
        var program = Path.Combine(Root, "tools", "lint", "node_modules", ".bin", tool);
        Assert.True(File.Exists(program), $"{program} is missing: ./test.sh installs the linters (npm ci in tools/lint)");
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = Path.Combine(Root, "tools", "lint") };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        start.Environment["REDOCLY_TELEMETRY"] = "off";
        start.Environment["REDOCLY_SUPPRESS_UPDATE_NOTICE"] = "true";
        start.Environment["NO_COLOR"] = "1";
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await output, await errors);
    }
}
