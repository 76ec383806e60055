using Alba;
using Microsoft.Extensions.Configuration;
using System.Diagnostics;
using Ledger.Api.Cli;
using Ledger.Tests.Fixtures;

namespace Ledger.Tests.Cli;

/// <summary>
/// The command line as an operator runs it: the built program in a process of its own. Every command answers
/// <c>--help</c>; a mistake (a missing option, a missing key, a missing file) is one line on stderr and a non-zero
/// exit code, never a stack trace; <c>registry import</c> puts towns first whatever order the files come in.
/// </summary>
public sealed class CommandLineTests(LedgerFixture fixture) : IntegrationTest(fixture)
{
    private sealed record Outcome(int ExitCode, string Output, string Error)
    {
        public override string ToString() => $"exit {ExitCode}\nstdout: {Output}\nstderr: {Error}";
    }

    /// <summary>Runs the program with only the given settings (the test host's own are not inherited).</summary>
    private static async Task<Outcome> Run(IReadOnlyDictionary<string, string> settings, params string[] args)
    {
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = Path.GetTempPath(),
        };
        foreach (var arg in (string[])[typeof(LedgerCommands).Assembly.Location, .. args]) start.ArgumentList.Add(arg);
        foreach (var name in start.Environment.Keys.Where(k => k.StartsWith("Ledger__") || k.StartsWith("ConnectionStrings__") || k == "LEDGER_DB").ToList())
            start.Environment.Remove(name);
        foreach (var (key, value) in settings) start.Environment[key.Replace(":", "__")] = value;
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return new Outcome(process.ExitCode, await output, await error);
    }

    private static Task<Outcome> Run(params string[] args) => Run(new Dictionary<string, string>(), args);

    /// <summary>One line on stderr, no stack trace, no unhandled exception.</summary>
    private static void AssertOneLineError(Outcome outcome, string expected)
    {
        Assert.True(outcome.ExitCode != 0, outcome.ToString());
        var lines = outcome.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.True(lines.Length == 1, outcome.ToString());
        Assert.Contains(expected, lines[0]);
        Assert.DoesNotContain("Unhandled", outcome.Error);
        Assert.DoesNotContain("   at ", outcome.Error);
    }

    [Fact]
    public async Task Token_without_the_signing_key_is_one_line_and_exit_code_2()
    {
        var outcome = await Run("token", "--user", "张三", "--role", "poverty-office");
        AssertOneLineError(outcome, "Ledger:Jwt:SigningKey");
        Assert.Equal(2, outcome.ExitCode);
        Assert.Equal("", outcome.Output);
    }

    [Theory]
    [InlineData("--role", "token", "--user", "张三")]
    [InlineData("--hours", "token", "--user", "张三", "--role", "poverty-office", "--hours", "48")]
    [InlineData("--hours", "token", "--user", "张三", "--role", "poverty-office", "--hours", "soon")]
    [InlineData("import", "registry", "import")]
    [InlineData("--key", "audit", "bundle.zip")]
    [InlineData("--from", "verify", "--from", "x")]
    [InlineData("--to", "verify", "--to=-3")]
    [InlineData("frobnicate", "registry", "frobnicate")]
    public async Task A_wrong_usage_is_one_line_naming_what_is_wrong_and_exit_code_2(string named, params string[] args)
    {
        var outcome = await Run(new Dictionary<string, string> { ["Ledger:Jwt:SigningKey"] = LedgerFixture.SigningKey }, args);
        AssertOneLineError(outcome, named);
        Assert.Equal(2, outcome.ExitCode);
    }

    [Theory]
    [InlineData("--help")]
    [InlineData("token", "--help")]
    [InlineData("token", "revoke", "--help")]
    [InlineData("registry", "import", "--help")]
    [InlineData("verify", "--help")]
    [InlineData("ledger", "verify", "--help")]
    [InlineData("audit", "--help")]
    [InlineData("migrate", "--help")]
    [InlineData("roles", "--help")]
    [InlineData("reencrypt", "--help")]
    public async Task Every_command_answers_help_without_a_database_or_keys(params string[] args)
    {
        var outcome = await Run(args);
        Assert.True(outcome.ExitCode == 0, outcome.ToString());
        Assert.Contains("Usage:", outcome.Output);
        Assert.Contains("--help", outcome.Output);
    }

    [Fact]
    public async Task A_token_is_issued_with_the_signing_key_and_accepted_by_the_api()
    {
        var outcome = await Run(new Dictionary<string, string> { ["Ledger:Jwt:SigningKey"] = LedgerFixture.SigningKey },
            "token", "--user", "张三", "--role", "poverty-office", "--hours", "1");
        Assert.True(outcome.ExitCode == 0, outcome.ToString());
        var token = outcome.Output.Trim();
        Assert.Equal(3, token.Split('.').Length);
        Assert.Contains("token id:", outcome.Error);

        var response = await Host.Scenario(s =>
        {
            s.Get.Url("/api/towns");
            s.WithRequestHeader("Authorization", $"Bearer {token}");
            s.StatusCodeShouldBeOk();
        });
        Assert.NotNull(response);
    }

    /// <summary>The settings the test host runs with (its app role's connection, its keys), as the program's environment.</summary>
    private Dictionary<string, string> HostSettings()
    {
        var configuration = Host.Services.GetRequiredService<IConfiguration>();
        return configuration.AsEnumerable()
            .Where(pair => pair.Value is not null && (pair.Key.StartsWith("Ledger:") || pair.Key == "ConnectionStrings:Ledger"))
            .ToDictionary(pair => pair.Key, pair => pair.Value!);
    }

    [Fact]
    public async Task Registry_import_puts_towns_first_whatever_order_the_files_are_given_in()
    {
        var paths = new[] { "pairings.csv", "units.csv", "towns.csv", "villages.csv" }.Select(f => Path.Combine(Scenarios.RegistryFolder, f)).ToArray();
        var outcome = await Run(HostSettings(), ["registry", "import", .. paths]);
        Assert.True(outcome.ExitCode == 0, outcome.ToString());
        var lines = outcome.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(4, lines.Length);
        Assert.StartsWith(paths[2], lines[0]);   // towns
        Assert.StartsWith(paths[3], lines[1]);   // villages
        Assert.StartsWith(paths[1], lines[2]);   // units
        Assert.StartsWith(paths[0], lines[3]);   // pairings
        Assert.True(await Fixture.EventCountAsync() > 0);

        var again = await Run(HostSettings(), ["registry", "import", .. paths]);
        Assert.True(again.ExitCode == 0, again.ToString());
        Assert.All(again.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries), line => Assert.EndsWith(" 0 events appended", line));
    }

    [Fact]
    public async Task Registry_import_of_a_missing_file_is_one_line_and_imports_nothing()
    {
        var before = await Fixture.EventCountAsync();
        var outcome = await Run(HostSettings(), "registry", "import", Path.Combine(Scenarios.RegistryFolder, "towns.csv"), "/nonexistent/pairings.csv");
        AssertOneLineError(outcome, "/nonexistent/pairings.csv");
        Assert.Equal(before, await Fixture.EventCountAsync());
    }

    [Fact]
    public async Task Verify_with_a_database_that_does_not_answer_is_one_line_and_exit_code_1()
    {
        var settings = HostSettings();
        settings["ConnectionStrings:Ledger"] = "Host=127.0.0.1;Port=1;Username=nobody;Database=none;Timeout=1";
        var outcome = await Run(settings, "verify");
        AssertOneLineError(outcome, "127.0.0.1");
        Assert.Equal(1, outcome.ExitCode);
    }
}
