using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text.Json;
using Npgsql;

namespace Ledger.Load;

/// <summary>
/// The backup drill's second half (docs/reliability.md): the backup taken under load is restored by
/// scripts/restore.sh into a new cluster, the API is started on it with the same keys and the same
/// witness directory, and the drill checks that every write acknowledged before the backup began is
/// there once, that the restored ledger raises the alarm a rollback must raise (the witness holds
/// heads newer than the backup), and — after the operator's procedure of moving those heads aside —
/// that the chain verifies intact and the views equal a rebuild.
/// </summary>
public static class BackupDrill
{
    public sealed record Setup(string Scripts, string? BackupDirectory, string RestorePgData, int RestorePort, string Dll, int ApiPort,
        IReadOnlyDictionary<string, string> Environment, string Witness, HashSet<string> AcknowledgedBeforeBackup,
        HashSet<string> Acknowledged, string ReaderToken);

    /// <summary>Runs <c>bash SCRIPTS/NAME ARGS</c>; its standard error goes to ours, its last line of output is returned.</summary>
    public static async Task<(int ExitCode, string LastLine)> ScriptAsync(string scripts, string name, IEnumerable<string> arguments)
    {
        var info = new ProcessStartInfo("bash", [Path.Combine(scripts, name), .. arguments]) { RedirectStandardOutput = true, RedirectStandardError = true };
        using var process = Process.Start(info)!;
        var output = process.StandardOutput.ReadToEndAsync();
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) Console.WriteLine($"  {e.Data}"); };
        process.BeginErrorReadLine();
        await process.WaitForExitAsync();
        var lines = (await output).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        return (process.ExitCode, lines.LastOrDefault()?.Trim() ?? "");
    }

    public static async Task<bool> RestoreAndCheckAsync(Setup setup)
    {
        if (setup.BackupDirectory is null)
        {
            Console.WriteLine("backup drill: the backup failed, nothing to restore");
            return false;
        }
        var restore = await ScriptAsync(setup.Scripts, "restore.sh",
            [setup.BackupDirectory, "--new-cluster", setup.RestorePgData, "--port", setup.RestorePort.ToString(), "--dbname", "ledger_restored"]);
        if (restore.ExitCode != 0)
        {
            Console.WriteLine($"backup drill: restore.sh failed (exit {restore.ExitCode})");
            return false;
        }
        var restoredDb = $"{restore.LastLine};Maximum Pool Size=100";
        var environment = new Dictionary<string, string>(setup.Environment) { ["ConnectionStrings__Ledger"] = restoredDb };
        await using var connection = new NpgsqlConnection(restoredDb);
        await connection.OpenAsync();

        // Every write acknowledged before the backup began is there, once; later ones may or may not be.
        var present = new Dictionary<string, int>();
        await using (var command = new NpgsqlCommand("select data->>'Description' from ledger.mt_events where type = 'finding_recorded' and data->>'Description' like 'load-%'", connection))
        await using (var reader = await command.ExecuteReaderAsync())
            while (await reader.ReadAsync())
                present[reader.GetString(0)] = present.GetValueOrDefault(reader.GetString(0)) + 1;
        var missing = setup.AcknowledgedBeforeBackup.Count(k => !present.ContainsKey(k));
        var twice = present.Count(p => p.Value > 1);
        var after = setup.Acknowledged.Except(setup.AcknowledgedBeforeBackup).ToList();
        var afterPresent = after.Count(present.ContainsKey);
        var unacknowledged = present.Keys.Count(k => !setup.Acknowledged.Contains(k));
        // The witness keeps one directory per database and county (docs/audit.md); the drill writes to one county.
        var witnessed = Directory.EnumerateFiles(setup.Witness, "*.json", SearchOption.AllDirectories).Select(Path.GetDirectoryName).Distinct().Single()!;
        var county = Path.GetFileName(witnessed);
        var restoredChain = await AsyncViews.ScalarAsync(connection, $"select count(*) from ledger.ledger_chain where tenant_id = '{county}'");
        var restoredEvents = await AsyncViews.ScalarAsync(connection, $"select count(*) from ledger.mt_events where tenant_id = '{county}'");
        Console.WriteLine($"restored: {restoredEvents} events, chain {restoredChain}; acknowledged before the backup {setup.AcknowledgedBeforeBackup.Count}, " +
                          $"missing {missing}, twice {twice}; acknowledged after it began {after.Count}, of which restored {afterPresent}; " +
                          $"restored but never acknowledged {unacknowledged}");

        // The witness holds heads the restored chain is shorter than: the ledger must say so.
        long SizeOf(string file) => long.Parse(Path.GetFileNameWithoutExtension(file));
        var newest = Directory.EnumerateFiles(witnessed, "*.json").Max(SizeOf);
        var alarmText = $"chain truncated below signed head {newest}";
        bool alarmSeen, alarmVerified, headRefused;
        using (var api = new ApiProcess(setup.Dll, setup.ApiPort, environment))
        {
            await api.StartAsync(healthy: false);
            using var http = Client(api, setup.ReaderToken);
            var verify = await JsonAsync(http, HttpMethod.Get, "/api/ledger/verify");
            var alarm = verify.TryGetProperty("alarm", out var found) ? found : default;
            alarmVerified = !verify.GetProperty("intact").GetBoolean() && verify.GetProperty("problems").GetInt32() == 0
                            && alarm.ValueKind == JsonValueKind.Object && alarm.GetProperty("kind").GetString() == "truncated"
                            && alarm.GetProperty("headSize").GetInt64() == newest && alarm.GetProperty("detail").GetString()!.StartsWith(alarmText);
            Console.WriteLine($"restored ledger, witness untouched: verify intact {verify.GetProperty("intact")}, problems {verify.GetProperty("problems")}, " +
                              $"alarm: {(alarm.ValueKind == JsonValueKind.Object ? alarm.GetProperty("detail").GetString() : "none")}");
            var health = (Status: 0, Text: "");
            for (var i = 0; i < 120 && !(health.Status == 503 && health.Text.Contains(alarmText)); i++)
            {
                if (i > 0) await Task.Delay(500);
                using var answer = await http.GetAsync("/health");
                health = ((int)answer.StatusCode, await answer.Content.ReadAsStringAsync());
            }
            alarmSeen = health.Status == 503 && health.Text.Contains(alarmText);
            Console.WriteLine($"/health {health.Status}: {health.Text}");
            using (var head = await http.PostAsync("/api/ledger/heads", null))
                headRefused = (int)head.StatusCode == 409;
            Console.WriteLine($"POST /api/ledger/heads over the alarm: {(headRefused ? "409, no head made" : "NOT refused")}");
        }

        // The operator's procedure (docs/reliability.md, "Restoring from a backup"): the heads newer than the
        // restored chain are moved aside, kept as the evidence of the rollback, never deleted.
        var superseded = Path.Combine(setup.Witness + "-superseded", Path.GetRelativePath(setup.Witness, witnessed));
        Directory.CreateDirectory(superseded);
        var moved = 0;
        foreach (var file in Directory.EnumerateFiles(witnessed, "*.json").Where(f => SizeOf(f) > restoredChain).ToList())
        {
            File.Move(file, Path.Combine(superseded, Path.GetFileName(file)));
            moved++;
        }
        Console.WriteLine($"operator: moved {moved} witnessed heads above the restored chain's {restoredChain} entries aside, to {superseded}");

        bool intact, viewsClean, rebuildEqual, settled;
        long chained;
        using (var api = new ApiProcess(setup.Dll, setup.ApiPort, environment))
        {
            await api.StartAsync();
            using var http = Client(api, setup.ReaderToken);
            var verify = await JsonAsync(http, HttpMethod.Get, "/api/ledger/verify");
            intact = verify.GetProperty("intact").GetBoolean();
            chained = verify.GetProperty("checked").GetInt64();
            var views = await JsonAsync(http, HttpMethod.Get, "/api/ledger/verify-views");
            viewsClean = views.GetProperty("differingCount").GetInt64() == 0;
            (settled, var progress, var high, _) = await AsyncViews.SettleAsync(connection);
            Console.WriteLine($"restored ledger resumed: verify intact {intact} ({chained} of {restoredEvents} events chained); " +
                              $"inline views checked {views.GetProperty("checked")}, differing {views.GetProperty("differingCount")}; async views at {progress} of {high}");
            var live = await AsyncViews.ReadAsync(connection);
            api.Kill();
            await AsyncViews.RebuildAsync(setup.Dll, environment);
            rebuildEqual = AsyncViews.Equal(live, await AsyncViews.ReadAsync(connection));
            Console.WriteLine($"restored async views equal to a full rebuild: {rebuildEqual} ({live.Count} views)");
        }

        var ok = missing == 0 && twice == 0 && alarmVerified && alarmSeen && headRefused && moved > 0 && intact && chained == restoredEvents
                 && viewsClean && settled && rebuildEqual;
        Console.WriteLine($"backup drill: {(ok ? "pass" : "FAIL")}");
        return ok;
    }

    private static HttpClient Client(ApiProcess api, string token)
    {
        var http = new HttpClient { BaseAddress = new Uri(api.BaseUrl), Timeout = TimeSpan.FromMinutes(5) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return http;
    }

    private static async Task<JsonElement> JsonAsync(HttpClient http, HttpMethod method, string url)
    {
        using var answer = await http.SendAsync(new HttpRequestMessage(method, url));
        var text = await answer.Content.ReadAsStringAsync();
        if (!answer.IsSuccessStatusCode) throw new InvalidOperationException($"{method} {url}: {(int)answer.StatusCode} {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }
}
