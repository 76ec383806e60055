using System.Diagnostics;

namespace Ledger.Load;

/// <summary>The API as its own process on loopback, so it can be killed (SIGKILL) and started again.</summary>
public sealed class ApiProcess(string dll, int port, IReadOnlyDictionary<string, string> environment) : IDisposable
{
    private Process? _process;
    public string BaseUrl => $"http://127.0.0.1:{port}";
    public int? Pid => _process?.Id;

    /// <summary>
    /// Starts the API and waits until <c>/health</c> answers 200 — or, when <paramref name="healthy"/> is false,
    /// until it answers at all (a ledger whose chain contradicts a signed head answers 503 and still serves).
    /// </summary>
    public async Task StartAsync(bool healthy = true)
    {
        var info = new ProcessStartInfo("dotnet", [dll, "--urls", BaseUrl, "--contentRoot", Path.GetDirectoryName(dll)!])
        {
            RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        foreach (var (k, v) in environment) info.Environment[k] = v;
        info.Environment["Logging__LogLevel__Default"] = "Warning";
        _process = Process.Start(info)!;
        _process.OutputDataReceived += (_, _) => { };
        _process.ErrorDataReceived += (_, _) => { };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        for (var i = 0; i < 240; i++)
        {
            try
            {
                var answer = await http.GetAsync($"{BaseUrl}/health");
                if (answer.IsSuccessStatusCode || !healthy) return;
            }
            catch (HttpRequestException) { }
            catch (TaskCanceledException) { }
            if (_process.HasExited) throw new InvalidOperationException($"the API exited with {_process.ExitCode}");
            await Task.Delay(500);
        }
        throw new TimeoutException("the API did not become healthy in 2 minutes");
    }

    /// <summary>SIGKILL: no shutdown, no flushing — as a power cut would.</summary>
    public void Kill()
    {
        if (_process is { HasExited: false }) _process.Kill(entireProcessTree: true);
        _process?.WaitForExit();
    }

    /// <summary>The resident memory of the API process in MiB (Linux /proc).</summary>
    public double? ResidentMiB()
    {
        try
        {
            var line = File.ReadLines($"/proc/{Pid}/status").FirstOrDefault(l => l.StartsWith("VmRSS:"));
            return line is null ? null : double.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]) / 1024;
        }
        catch (IOException) { return null; }
    }

    public void Dispose() => Kill();
}
