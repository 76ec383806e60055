using System.Diagnostics;
using System.Text.Json;
using Ledger.Api.Cli;
using Ledger.Domain.Audit;
using Ledger.Domain.Tests.Audit;

namespace Ledger.Tests.Cli;

/// <summary>
/// <c>ledger audit</c> as a reviewer runs it: the built program, in a process of its own, with a database address that
/// answers nothing — it must need neither the host nor a database. Exit code 0 intact, 1 problems, 2 unreadable files.
/// </summary>
public sealed class AuditCommandTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("ledger-audit-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private string Write(string name, string text)
    {
        var path = Path.Combine(_directory, name);
        File.WriteAllText(path, text);
        return path;
    }

    private string Write(string name, byte[] bytes)
    {
        var path = Path.Combine(_directory, name);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    private async Task<(int ExitCode, string Output)> Run(params string[] args)
    {
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = _directory,
        };
        foreach (var arg in (string[])[typeof(LedgerCommands).Assembly.Location, "ledger", "audit", .. args]) start.ArgumentList.Add(arg);
        // Nothing listens there: opening the database would fail the command.
        start.Environment["ConnectionStrings__Ledger"] = "Host=127.0.0.1;Port=1;Username=nobody;Database=none;Timeout=1";
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await output + await error);
    }

    [Fact]
    public async Task Intact_is_0_problems_are_1_with_their_place_unreadable_files_are_2()
    {
        var bundle = TestBundle.Make(events: 20, headSizes: [5, 12]);
        var key = Write("ledger.pem", bundle.ReviewerKeyPem);
        var saved = Write("head-12.json", JsonSerializer.Serialize(bundle.Heads[1], AuditBundle.Json));
        var intact = Write("bundle.zip", bundle.Zip());

        var (code, output) = await Run(intact, "--key", key, "--saved", saved);
        Assert.True(code == 0, output);
        Assert.Contains("bundle: county 440233, the whole log", output);
        Assert.Contains($"head:   size 20, root {bundle.Head.MerkleRoot}", output);
        Assert.Contains("events: 20 checked, leaves 0–19", output);
        Assert.Contains("INTACT", output);

        bundle.EditLine(7, e => e with { Data = e.Data.Replace("资金闲置", "篡改后的描述") });
        (code, output) = await Run(Write("tampered.zip", bundle.Zip()), "--key", key);
        Assert.True(code == 1, output);
        Assert.Contains($"PROBLEM [content-hash] events.ndjson line 8 (leaf 7, sequence {bundle.Stored[7].Sequence})", output);
        Assert.Contains("NOT INTACT: 1 problem(s)", output);

        var later = Write("head-25.json", JsonSerializer.Serialize(TestBundle.Make(events: 25, key: bundle.Key).Head, AuditBundle.Json));
        (code, output) = await Run(intact, "--key", key, "--saved", later);
        Assert.True(code == 1, output);
        Assert.Contains("PROBLEM [truncated] saved head (head of size 25)", output);

        Assert.Equal(2, (await Run(intact, "--key", Path.Combine(_directory, "missing.pem"))).ExitCode);
        Assert.Equal(2, (await Run(intact)).ExitCode);
        Assert.Equal(2, (await Run(key, "--key", key)).ExitCode);
        Assert.Equal(2, (await Run(intact, "--key", intact)).ExitCode);
    }
}
