using System.Diagnostics;
using Ledger.ApiClient;
using Ledger.ApiClient.Models;
using Ledger.Domain.Access;
using Ledger.Tests.Fixtures;
using Microsoft.Kiota.Abstractions;
using Microsoft.Kiota.Abstractions.Authentication;
using Microsoft.Kiota.Http.HttpClientLibrary;

namespace Ledger.Tests.Contract;

/// <summary>
/// The client Kiota generates from the API document (tests/Ledger.ApiClient, checked in) drives a
/// journey against the host, and is the one the document generates today (docs/api.md).
/// </summary>
public sealed class GeneratedClientTests(LedgerFixture fixture) : IntegrationTest(fixture)
{
    /// <summary>Sends the caller's token as a bearer token, as the document's security scheme says.</summary>
    private sealed class BearerToken(string token) : IAuthenticationProvider
    {
        public Task AuthenticateRequestAsync(RequestInformation request, Dictionary<string, object>? context = null, CancellationToken cancellationToken = default)
        {
            request.Headers.Add("Authorization", $"Bearer {token}");
            return Task.CompletedTask;
        }
    }

    private LedgerClient ClientFor(string token)
    {
        var http = Host.Server.CreateClient();
        return new LedgerClient(new HttpClientRequestAdapter(new BearerToken(token), httpClient: http) { BaseUrl = http.BaseAddress!.ToString().TrimEnd('/') });
    }

    [Fact]
    public async Task The_generated_client_plans_an_inspection_records_a_finding_and_reads_the_case()
    {
        await Given.SampleRegistry();
        var office = ClientFor(Fixture.Token(Roles.InspectionOffice));
        var inspector = ClientFor(Fixture.Token(Roles.Inspector, Scenarios.LeaderUser));

        var planned = await office.Api.Inspections.PostAsync(new PlanInspection
        {
            Kind = InspectionKind.Comprehensive,
            Year = 2017,
            Towns = ["440233100", "440233101"],
            Units = ["wt-100"],
            ContentAreas = [],
            Responsibilities = [new Responsibility { Item = "核查资金使用", Owner = "督查组组长" }],
            TaskRequirements = ["每个镇至少走访3个村"],
            PlannedStart = new Date(2017, 7, 1),
            PlannedEnd = new Date(2017, 7, 15),
            CrossInspection = false,
        });
        Assert.NotNull(planned?.Id);
        Assert.Equal(1, planned!.Version);
        var inspection = office.Api.Inspections[planned.Id!.Value];

        var formed = await inspection.Team.PostAsync(new FormTeam
        {
            ExpectedVersion = planned.Version,
            Leader = new TeamMember { User = Scenarios.LeaderUser, Name = "王组长", UnitCode = "czj" },
            Members = [new TeamMember { User = Scenarios.MemberUser, Name = "李组员", UnitCode = "sjj" }],
        });
        var started = await inspection.Fieldwork.PostAsync(new StartFieldwork { ExpectedVersion = formed!.Version, StartedOn = new Date(2017, 7, 2) });
        Assert.Equal(3, started!.Version);

        var finding = await inspector.Api.Inspections[planned.Id.Value].Findings.PostAsync(new RecordFinding
        {
            Town = "440233100",
            Village = "440233100201",
            Area = 4,
            Method = InspectionMethod.FieldInvestigation,
            Severity = Severity.Serious,
            Description = "贫困户识别公示期不足7天",
            Evidence = [new Evidence { Title = "公示照片", Kind = EvidenceKind.Photo }],
            ObservedOn = new Date(2017, 7, 3),
        });
        Assert.NotNull(finding?.Id);

        var answer = await inspector.Api.Cases[finding!.Id!.Value].GetAsync();
        Assert.Equal(finding.Id, answer!.Case!.Id);
        Assert.Equal(planned.Id, answer.Case.InspectionId);
        Assert.Equal("贫困户识别公示期不足7天", answer.Case.Description);
        Assert.NotEmpty(answer.History!);

        // A refusal arrives as the document describes it: problem details, typed.
        var refused = await Assert.ThrowsAsync<ProblemDetails>(() => office.Api.Inspections[Guid.NewGuid()].GetAsync());
        Assert.Equal(404, refused.Status);
    }

    [Fact]
    public async Task The_checked_in_client_is_the_one_the_document_generates()
    {
        var response = await Given.Get("/openapi/v1.json", null);
        Assert.Equal(200, response.StatusCode);
        var work = Path.Combine(Path.GetTempPath(), $"ledger-kiota-{Guid.NewGuid():N}");
        Directory.CreateDirectory(work);
        try
        {
            var document = Path.Combine(work, "openapi.json");
            await File.WriteAllBytesAsync(document, response.Body);
            var output = Path.Combine(work, "Generated");
            var (exitCode, log) = await KiotaAsync(document, output);
            Assert.True(exitCode == 0, $"kiota generate failed:\n{log}");

            var checkedIn = Path.Combine(Lint.Root, "tests", "Ledger.ApiClient", "Generated");
            if (Environment.GetEnvironmentVariable("LEDGER_REGENERATE_CLIENT") == "1")
            {
                // Asked to regenerate (docs/api.md): the new client replaces the checked-in one.
                if (Directory.Exists(checkedIn)) Directory.Delete(checkedIn, recursive: true);
                foreach (var file in Directory.EnumerateFiles(output, "*.cs", SearchOption.AllDirectories))
                {
                    var target = Path.Combine(checkedIn, Path.GetRelativePath(output, file));
                    Directory.CreateDirectory(Path.GetDirectoryName(target)!);
                    File.Copy(file, target);
                }
            }
            var expected = Files(output);
            Assert.True(expected.Count > 0, $"kiota wrote no C# files:\n{log}");
            var actual = Files(checkedIn);
            var stale = expected.Keys.Union(actual.Keys)
                .Where(name => !expected.TryGetValue(name, out var e) || !actual.TryGetValue(name, out var a) || e != a).Order().ToList();
            Assert.True(stale.Count == 0,
                $"the checked-in client differs from the document's in {stale.Count} files ({string.Join(", ", stale.Take(10))}): " +
                "regenerate it: LEDGER_REGENERATE_CLIENT=1 ./test.sh --filter GeneratedClientTests (docs/api.md)");
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    /// <summary>The generated C# files, by path under the folder, with their text (line ends normalised).</summary>
    private static Dictionary<string, string> Files(string folder) =>
        Directory.Exists(folder)
            ? Directory.EnumerateFiles(folder, "*.cs", SearchOption.AllDirectories)
                .ToDictionary(f => Path.GetRelativePath(folder, f).Replace('\\', '/'), f => File.ReadAllText(f).ReplaceLineEndings("\n"))
            : [];

    /// <summary>Kiota from the repository's tool manifest (./test.sh runs <c>dotnet tool restore</c>).</summary>
    private static async Task<(int ExitCode, string Log)> KiotaAsync(string document, string output)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = Lint.Root };
        foreach (var argument in (string[])["kiota", "generate", .. ClientOptions, "-d", document, "-o", output])
            start.ArgumentList.Add(argument);
        start.Environment["KIOTA_TUTORIAL_ENABLED"] = "false";
        start.Environment["KIOTA_OFFLINE_ENABLED"] = "true";
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await stdout + await stderr);
    }

    /// <summary>The generation options (docs/api.md).</summary>
    public static readonly string[] ClientOptions =
        ["-l", "CSharp", "-c", "LedgerClient", "-n", "Ledger.ApiClient", "--exclude-backward-compatible", "--clean-output", "--log-level", "Warning"];
}
