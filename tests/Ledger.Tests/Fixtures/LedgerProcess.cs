using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Ledger.Tests.Fixtures;

/// <summary>
/// The API as a real <c>dotnet</c> process on loopback, on the test database, so it can be killed with SIGKILL
/// (no shutdown, nothing flushed: as a power cut) and started again. It gets only the settings given (nothing of
/// the test process's own <c>Ledger__*</c> environment) and runs in the <c>Testing</c> environment, where
/// <c>Ledger:TestClock:Today</c> may stop its clock on a day.
/// </summary>
public sealed class LedgerProcess(IReadOnlyDictionary<string, string> settings) : IDisposable
{
    private readonly ConcurrentQueue<string> _output = new();
    private Process? _process;

    public string BaseUrl { get; } = $"http://127.0.0.1:{FreePort()}";

    /// <summary>The last lines the process wrote (for a failing assertion's message).</summary>
    public string Output => string.Join('\n', _output.TakeLast(60));

    /// <summary>Starts the API and waits until <c>/health</c> answers (at most two minutes, polling).</summary>
    public async Task StartAsync()
    {
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetTempPath(),
        };
        var api = typeof(Ledger.Api.Setup.LedgerHost).Assembly.Location;
        foreach (var arg in (string[])[api, "--urls", BaseUrl, "--contentRoot", Path.GetDirectoryName(api)!]) start.ArgumentList.Add(arg);
        foreach (var name in start.Environment.Keys.Where(k => k.StartsWith("Ledger__") || k.StartsWith("ConnectionStrings__") || k == "LEDGER_DB").ToList())
            start.Environment.Remove(name);
        start.Environment["ASPNETCORE_ENVIRONMENT"] = Ledger.Api.Setup.FixedDayClock.EnvironmentName;
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        foreach (var (key, value) in settings) start.Environment[key.Replace(":", "__")] = value;
        _output.Clear();
        _process = Process.Start(start)!;
        _process.OutputDataReceived += (_, e) => { if (e.Data is not null) _output.Enqueue(e.Data); };
        _process.ErrorDataReceived += (_, e) => { if (e.Data is not null) _output.Enqueue(e.Data); };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var giveUp = DateTime.UtcNow.AddMinutes(2);
        while (DateTime.UtcNow < giveUp)
        {
            if (_process.HasExited) throw new InvalidOperationException($"the API exited with {_process.ExitCode}:\n{Output}");
            try
            {
                using var answer = await http.GetAsync($"{BaseUrl}/health");
                return;   // it answers (a chain alarm would be 503, and it still serves)
            }
            catch (HttpRequestException) { }
            catch (TaskCanceledException) { }
            await Task.Delay(200);
        }
        throw new TimeoutException($"the API did not answer in 2 minutes:\n{Output}");
    }

    /// <summary>SIGKILL, and waits until the process is gone.</summary>
    public void Kill()
    {
        if (_process is { HasExited: false }) _process.Kill(entireProcessTree: true);
        _process?.WaitForExit();
    }

    private static int FreePort()
    {
        using var socket = new TcpListener(IPAddress.Loopback, 0);
        socket.Start();
        return ((IPEndPoint)socket.LocalEndpoint).Port;
    }

    public void Dispose()
    {
        Kill();
        _process?.Dispose();
    }
}
