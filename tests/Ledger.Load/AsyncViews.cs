using System.Diagnostics;
using System.Text.Json;
using Npgsql;

namespace Ledger.Load;

/// <summary>
/// The async views of a drill's database: wait until they caught up with the events, read them, and
/// rebuild them from the events (<c>projections rebuild</c>, the API stopped) to compare.
/// </summary>
public static class AsyncViews
{
    /// <summary>Waits (up to 5 minutes) until every async view has processed the last event; returns where they stand.</summary>
    public static async Task<(bool Settled, long Progress, long High, TimeSpan Waited)> SettleAsync(NpgsqlConnection connection)
    {
        var settling = Stopwatch.StartNew();
        long progress = 0, high = 0;
        while (settling.Elapsed < TimeSpan.FromMinutes(5))
        {
            progress = await ScalarAsync(connection, "select coalesce(min(last_seq_id), 0) from ledger.mt_event_progression where name like 'AccountabilityView%' or name like 'CaseRow%'");
            high = await ScalarAsync(connection, "select coalesce(max(seq_id), 0) from ledger.mt_events");
            if (progress >= high) return (true, progress, high, settling.Elapsed);
            await Task.Delay(500);
        }
        return (false, progress, high, settling.Elapsed);
    }

    /// <summary>Every async view document, by type, tenant and id, as canonical JSON.</summary>
    public static async Task<Dictionary<string, string>> ReadAsync(NpgsqlConnection connection)
    {
        await using var command = new NpgsqlCommand("select 'view/' || tenant_id || '/' || id, data::text from ledger.mt_doc_accountabilityview " +
            "union all select 'case/' || tenant_id || '/' || id, data::text from ledger.mt_doc_caserow", connection);
        await using var reader = await command.ExecuteReaderAsync();
        var views = new Dictionary<string, string>();
        while (await reader.ReadAsync()) views[reader.GetString(0)] = JsonSerializer.Serialize(JsonDocument.Parse(reader.GetString(1)).RootElement);
        return views;
    }

    /// <summary>Runs <c>projections rebuild</c> of the API (which must be stopped) against the environment's database.</summary>
    public static async Task RebuildAsync(string dll, IReadOnlyDictionary<string, string> environment)
    {
        var info = new ProcessStartInfo("dotnet", [dll, "projections", "rebuild"]) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var (k, v) in environment) info.Environment[k] = v;
        using var rebuild = Process.Start(info)!;
        var output = rebuild.StandardOutput.ReadToEndAsync();
        var errors = rebuild.StandardError.ReadToEndAsync();
        await rebuild.WaitForExitAsync();
        await Task.WhenAll(output, errors);
    }

    /// <summary>The live views equal the rebuilt ones, and there are some.</summary>
    public static bool Equal(Dictionary<string, string> live, Dictionary<string, string> rebuilt) =>
        live.Count > 0 && live.Count == rebuilt.Count && live.All(v => rebuilt.TryGetValue(v.Key, out var r) && r == v.Value);

    public static async Task<long> ScalarAsync(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        return Convert.ToInt64(await command.ExecuteScalarAsync());
    }
}
