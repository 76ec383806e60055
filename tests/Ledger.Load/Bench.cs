using System.Diagnostics;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Npgsql;

namespace Ledger.Load;

/// <summary>
/// The benchmark of docs/performance.md: each figure of the ledger beside its floor — the same
/// work done with raw Npgsql on the same PostgreSQL, with the same connection settings as the
/// ledger's (LedgerHost.Tuned) — and their ratio.
/// </summary>
public sealed class Bench(HttpClient http, string db, Func<string, string> token, ApiProcess api)
{
    public sealed record Figure(string What, double Ledger, double Floor, string Unit, string Note = "")
    {
        public double Ratio => Floor == 0 ? 0 : Ledger / Floor;
    }

    public sealed record Rate(double PerSecond, double P50Ms, double P99Ms, int Count);

    /// <summary>Runs <paramref name="work"/> from <paramref name="clients"/> tasks for a while; rate and latency percentiles.</summary>
    public static async Task<Rate> MeasureAsync(int clients, TimeSpan duration, Func<int, int, Task> work)
    {
        var latencies = new List<double>[clients];
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, clients).Select(async c =>
        {
            latencies[c] = [];
            var i = 0;
            while (clock.Elapsed < duration)
            {
                var start = Stopwatch.GetTimestamp();
                await work(c, i++);
                latencies[c].Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
            }
        }));
        var all = latencies.SelectMany(l => l).Order().ToList();
        return new Rate(all.Count / clock.Elapsed.TotalSeconds, all[all.Count / 2], all[(int)(all.Count * 0.99)], all.Count);
    }

    private HttpRequestMessage Authorized(HttpMethod method, string url, string role)
    {
        var request = new HttpRequestMessage(method, url);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token(role));
        return request;
    }

    private static object FindingBody(int c, int i) => new
    {
        town = "440233100", area = 1 + (i % 8), method = "field-investigation", severity = "minor", description = $"bench-{c}-{i}",
    };

    /// <summary>
    /// A realistic town-year for the read figures (deterministic seed): an inspection of town 105 with
    /// 300 findings spread over its villages, areas and severities, a third of them required to be
    /// rectified and half of those answered and accepted — the size of a busy town's year, unlike the
    /// write phase, which piles tens of thousands of findings into town 100.
    /// </summary>
    public async Task RealisticTownAsync(Func<HttpMethod, string, string, object?, int, Task<System.Text.Json.JsonElement>> send, int year)
    {
        var random = new Random(20171);
        var plan = await send(HttpMethod.Post, "/api/inspections", "inspection-office", new
        {
            kind = "comprehensive", year, towns = new[] { "440233105" }, units = Array.Empty<string>(),
            responsibilities = new[] { new { item = "综合督查", owner = "组长" } }, plannedStart = $"{year}-01-02", plannedEnd = $"{year}-12-30",
        }, 201);
        var id = plan.GetProperty("id").GetGuid();
        await send(HttpMethod.Post, $"/api/inspections/{id}/team", "inspection-office",
            new { expectedVersion = 1, leader = new { user = "load-leader", name = "负载组长", unitCode = "czj" } }, 200);
        await send(HttpMethod.Post, $"/api/inspections/{id}/fieldwork", "inspection-office", new { expectedVersion = 2 }, 200);
        var severities = new[] { "minor", "minor", "minor", "serious", "serious", "grave" };
        var cases = new List<Guid>();
        for (var i = 0; i < 300; i++)
        {
            var created = await send(HttpMethod.Post, $"/api/inspections/{id}/findings", "inspector", new
            {
                town = "440233105", village = $"440233105{201 + random.Next(22):D3}", area = 1 + random.Next(8), method = "field-investigation",
                severity = severities[random.Next(severities.Length)], description = $"realistic-{i}",
            }, 201);
            cases.Add(created.GetProperty("id").GetGuid());
        }
        await send(HttpMethod.Post, $"/api/inspections/{id}/report", "inspector",
            new { expectedVersion = 3, situation = "s", opinions = "o" }, 200);
        var required = cases.Where((_, i) => i % 3 == 0).ToList();
        await send(HttpMethod.Post, $"/api/inspections/{id}/notifications", "inspection-office", new
        {
            expectedVersion = 4,
            recipients = new[] { new { town = "440233105", summary = "s", requirements = required.Select(c => new { @case = c, action = "整改", deadline = $"{year}-12-31" }).ToArray(),
                notRequired = cases.Except(required).Select(c => new { @case = c, reason = "当场整改到位" }).ToArray() } },
        }, 200);
        foreach (var c in required.Where((_, i) => i % 2 == 0))
        {
            await send(HttpMethod.Post, $"/api/rectifications/{c}/responses", "poverty-office", new { expectedVersion = 2, description = "已整改" }, 200);
            await send(HttpMethod.Post, $"/api/rectifications/{c}/acceptance", "poverty-office", new { expectedVersion = 3 }, 200);
        }
    }

    public async Task<List<Figure>> RunAsync(Guid inspection, TimeSpan each, bool writesOnly = false)
    {
        var figures = new List<Figure>();
        await using var floorDb = NpgsqlDataSource.Create(Ledger.Api.Setup.LedgerHost.Tuned(db));
        await using (var setup = floorDb.CreateCommand("create table if not exists bench_floor (id bigserial primary key, data jsonb not null)"))
            await setup.ExecuteNonQueryAsync();
        var json = System.Text.Json.JsonSerializer.Serialize(FindingBody(0, 0));
        var caseIds = new System.Collections.Concurrent.ConcurrentBag<Guid>();

        foreach (var clients in new[] { 1, 8, 32 })
        {
            var ledger = await MeasureAsync(clients, each, async (c, i) =>
            {
                using var post = Authorized(HttpMethod.Post, $"/api/inspections/{inspection}/findings", "inspector");
                post.Content = JsonContent.Create(FindingBody(c, i));
                var answer = await http.SendAsync(post);
                if ((int)answer.StatusCode != 201) throw new InvalidOperationException($"write answered {(int)answer.StatusCode}");
                caseIds.Add((await answer.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>()).GetProperty("id").GetGuid());
            });
            var floor = await MeasureAsync(clients, each, async (_, _) =>
            {
                await using var connection = await floorDb.OpenConnectionAsync();
                await using var tx = await connection.BeginTransactionAsync();
                await using var insert = new NpgsqlCommand("insert into bench_floor (data) values ($1::jsonb)", connection, tx);
                insert.Parameters.AddWithValue(json);
                await insert.ExecuteNonQueryAsync();
                await tx.CommitAsync();
            });
            figures.Add(new Figure($"write, {clients} client(s): requests/s", ledger.PerSecond, floor.PerSecond, "req/s",
                $"p50 {ledger.P50Ms:0.0} ms (floor {floor.P50Ms:0.0}), p99 {ledger.P99Ms:0.0} ms (floor {floor.P99Ms:0.0})"));
        }
        var memoryAfterWrites = api.ResidentMiB() ?? 0;
        if (writesOnly)
        {
            figures.Add(new Figure("API resident memory after the write load", memoryAfterWrites, 0, "MiB", "target < 300 MiB"));
            return figures;
        }

        var ids = caseIds.Take(500).ToArray();
        var caseRead = await MeasureAsync(8, each, async (c, i) =>
        {
            using var get = Authorized(HttpMethod.Get, $"/api/cases/{ids[(c * 31 + i) % ids.Length]}", "reviewer");
            (await http.SendAsync(get)).EnsureSuccessStatusCode();
        });
        var caseFloor = await MeasureAsync(8, each, async (c, i) =>
        {
            await using var select = floorDb.CreateCommand("select data from ledger.mt_doc_caseview where tenant_id = '440233' and id = $1");
            select.Parameters.AddWithValue(ids[(c * 31 + i) % ids.Length]);
            await select.ExecuteScalarAsync();
        });
        figures.Add(new Figure("read a case view (8 clients): requests/s", caseRead.PerSecond, caseFloor.PerSecond, "req/s",
            $"p50 {caseRead.P50Ms:0.0} ms, p99 {caseRead.P99Ms:0.0} ms"));
        // The ceiling any route has here: the HTTP stack and one trivial query (no token, no Marten).
        var health = await MeasureAsync(8, each, async (_, _) => (await http.GetAsync("/health")).EnsureSuccessStatusCode());
        var healthFloor = await MeasureAsync(8, each, async (_, _) =>
        {
            await using var select = floorDb.CreateCommand("select 1");
            await select.ExecuteScalarAsync();
        });
        figures.Add(new Figure("GET /health, the HTTP stack's ceiling (8 clients): requests/s", health.PerSecond, healthFloor.PerSecond, "req/s",
            $"p50 {health.P50Ms:0.0} ms; floor: `select 1`"));
        var year = DateTime.UtcNow.Year;
        foreach (var (town, label) in new[] { ("440233105", "a realistic town-year (300 cases)"), ("440233100", "the write phase's town (every finding)") })
            figures.Add(await TownReadAsync(floorDb, "440233", town, year, label, token("reviewer"), each));

        // Replay: one case with 1,000 events, read at a version and at a moment.
        var busy = caseIds.First();
        var amendingFrom = DateTimeOffset.UtcNow;
        for (var v = 1; v < 1000; v++)
        {
            using var amend = Authorized(HttpMethod.Post, $"/api/findings/{busy}/amendments", "inspector");
            amend.Content = JsonContent.Create(new { expectedVersion = v, reason = $"r{v}", description = $"d{v}" });
            (await http.SendAsync(amend)).EnsureSuccessStatusCode();
        }
        var replay = await MeasureAsync(1, each, async (_, i) =>
        {
            using var get = Authorized(HttpMethod.Get, $"/api/cases/{busy}?version={500 + i % 500}", "reviewer");
            (await http.SendAsync(get)).EnsureSuccessStatusCode();
        });
        var replayFloor = await MeasureAsync(1, each, async (_, i) =>
        {
            await using var select = floorDb.CreateCommand("select data from ledger.mt_events where tenant_id = '440233' and stream_id = $1 and version <= $2 order by version");
            select.Parameters.AddWithValue(busy);
            select.Parameters.AddWithValue((long)(500 + i % 500));
            await using var reader = await select.ExecuteReaderAsync();
            while (await reader.ReadAsync()) reader.GetString(0);
        });
        figures.Add(new Figure("replay a 1,000-event case at a version: requests/s", replay.PerSecond, replayFloor.PerSecond, "req/s",
            $"p50 {replay.P50Ms:0.0} ms (raw read of the stream {replayFloor.P50Ms:0.0} ms)"));
        // The same case as it stood at moments spread over its amendments.
        var span = DateTimeOffset.UtcNow - amendingFrom;
        DateTimeOffset Moment(int i) => amendingFrom + span * (0.5 + (i % 50) / 100.0);
        var asOf = await MeasureAsync(1, each, async (_, i) =>
        {
            using var get = Authorized(HttpMethod.Get, $"/api/cases/{busy}?asOf={Uri.EscapeDataString(Moment(i).ToString("O"))}", "reviewer");
            (await http.SendAsync(get)).EnsureSuccessStatusCode();
        });
        var asOfFloor = await MeasureAsync(1, each, async (_, i) =>
        {
            await using var select = floorDb.CreateCommand("select data from ledger.mt_events where tenant_id = '440233' and stream_id = $1 and timestamp <= $2 order by version");
            select.Parameters.AddWithValue(busy);
            select.Parameters.AddWithValue(Moment(i));
            await using var reader = await select.ExecuteReaderAsync();
            while (await reader.ReadAsync()) reader.GetString(0);
        });
        figures.Add(new Figure("replay the 1,000-event case as of a moment: requests/s", asOf.PerSecond, asOfFloor.PerSecond, "req/s",
            $"p50 {asOf.P50Ms:0.0} ms (raw read of the stream up to the moment {asOfFloor.P50Ms:0.0} ms)"));

        figures.Add(new Figure("API resident memory after the write load", memoryAfterWrites, 0, "MiB", "target < 300 MiB"));
        return figures;
    }

    /// <summary>The accountability of a town-year through the API, against the same view and case rows read in SQL.</summary>
    private async Task<Figure> TownReadAsync(NpgsqlDataSource floorDb, string county, string town, int year, string label, string reviewer, TimeSpan each)
    {
        var townRead = await MeasureAsync(8, each, async (_, _) =>
        {
            using var get = new HttpRequestMessage(HttpMethod.Get, $"/api/towns/{town}/accountability?year={year}");
            get.Headers.Authorization = new AuthenticationHeaderValue("Bearer", reviewer);
            (await http.SendAsync(get)).EnsureSuccessStatusCode();
        });
        var townFloor = await MeasureAsync(8, each, async (_, _) =>
        {
            // The same reads as the API: the town, its villages, the view, its case rows and the daemon's progress.
            await using var select = floorDb.CreateCommand(
                "select (select data from ledger.mt_doc_townview where tenant_id = $4 and id = $5), " +
                "(select json_agg(data order by data->>'Code') from ledger.mt_doc_villageview where tenant_id = $4 and data->>'TownCode' = $2), " +
                "(select data from ledger.mt_doc_accountabilityview where tenant_id = $4 and id = $1), " +
                "(select json_agg(data) from ledger.mt_doc_caserow where tenant_id = $4 and data->>'TownCode' = $2 and (data->>'Year')::int = $3), " +
                "(select json_agg(last_seq_id) from ledger.mt_event_progression)");
            select.Parameters.AddWithValue($"town:{town}:{year}");
            select.Parameters.AddWithValue(town);
            select.Parameters.AddWithValue(year);
            select.Parameters.AddWithValue(county);
            select.Parameters.AddWithValue(Ledger.Domain.Registry.RegistryIds.Town(county, town));
            await select.ExecuteScalarAsync();
        });
        return new Figure($"read the accountability of {label} (8 clients): requests/s", townRead.PerSecond, townFloor.PerSecond, "req/s",
            $"p50 {townRead.P50Ms:0.0} ms, p99 {townRead.P99Ms:0.0} ms; floor: the same rows in one SQL statement");
    }

    /// <summary>
    /// After the generator: extending the chain over every generated event, verifying it, and a
    /// generated county's town-year read among all the province's data.
    /// </summary>
    public async Task<List<Figure>> ProvinceAsync(string county, TimeSpan each, Func<string, string> reviewerOf)
    {
        var figures = new List<Figure>();
        await using var floorDb = NpgsqlDataSource.Create(Ledger.Api.Setup.LedgerHost.Tuned(db));
        var events = await Scalar(floorDb, "select count(*) from ledger.mt_events");
        var raw = Stopwatch.StartNew();
        await using (var read = floorDb.CreateCommand("select seq_id, stream_id, version, type, tenant_id, timestamp, user_name, headers::text, data::text from ledger.mt_events order by seq_id"))
        await using (var reader = await read.ExecuteReaderAsync())
            while (await reader.ReadAsync()) reader.GetString(8);
        raw.Stop();

        // The digest first extends the chain over every event not chained yet (all the generated ones).
        var unchained = events - await Scalar(floorDb, "select count(*) from ledger.ledger_chain");
        var extend = Stopwatch.StartNew();
        using (var get = Authorized(HttpMethod.Get, "/api/ledger/digest", "reviewer")) (await http.SendAsync(get)).EnsureSuccessStatusCode();
        extend.Stop();
        figures.Add(new Figure($"extend the chain over {unchained:N0} new events: events/s", unchained / extend.Elapsed.TotalSeconds,
            events / raw.Elapsed.TotalSeconds, "events/s", "hash and insert, 5,000 per transaction; floor: read the rows"));

        var verify = Stopwatch.StartNew();
        using (var get = Authorized(HttpMethod.Get, "/api/ledger/verify", "reviewer")) (await http.SendAsync(get)).EnsureSuccessStatusCode();
        verify.Stop();
        figures.Add(new Figure($"verify the chain over {events:N0} events: events/s", events / verify.Elapsed.TotalSeconds,
            events / raw.Elapsed.TotalSeconds, "events/s", $"API resident memory after: {api.ResidentMiB() ?? 0:0} MiB"));

        // Wait for the daemon (it resumes from the rebuilt views), then read a generated county's town-year.
        for (var i = 0; i < 600 && await Scalar(floorDb,
                 "select coalesce(min(last_seq_id), 0) from ledger.mt_event_progression where name like 'AccountabilityView%' or name like 'CaseRow%'")
             < await Scalar(floorDb, "select coalesce(max(seq_id), 0) from ledger.mt_events"); i++)
            await Task.Delay(500);
        figures.Add(await TownReadAsync(floorDb, county, $"{county}100", 2018, $"a generated county's town-year among {events:N0} events",
            reviewerOf(county), each));
        return figures;
    }

    private static async Task<long> Scalar(NpgsqlDataSource db, string sql)
    {
        await using var command = db.CreateCommand(sql);
        return Convert.ToInt64(await command.ExecuteScalarAsync());
    }

    /// <summary>Rebuild of every projection from the events (API stopped), against a raw sequential read of them.</summary>
    public static async Task<Figure> RebuildAsync(string dll, IReadOnlyDictionary<string, string> env, string db)
    {
        await using var floorDb = NpgsqlDataSource.Create(Ledger.Api.Setup.LedgerHost.Tuned(db));
        var events = await Scalar(floorDb, "select count(*) from ledger.mt_events");
        var info = new ProcessStartInfo("dotnet", [dll, "projections", "rebuild"]) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var (k, v) in env) info.Environment[k] = v;
        var clock = Stopwatch.StartNew();
        double peak = 0;
        using (var process = Process.Start(info)!)
        {
            var output = process.StandardOutput.ReadToEndAsync();
            while (!process.HasExited)
            {
                try
                {
                    var line = File.ReadLines($"/proc/{process.Id}/status").FirstOrDefault(l => l.StartsWith("VmHWM:"));
                    if (line is not null) peak = Math.Max(peak, double.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]) / 1024);
                }
                catch (IOException) { }
                await Task.Delay(100);
            }
            await output;
        }
        clock.Stop();
        var raw = Stopwatch.StartNew();
        await using (var read = floorDb.CreateCommand("select data::text from ledger.mt_events order by seq_id"))
        await using (var reader = await read.ExecuteReaderAsync())
            while (await reader.ReadAsync()) reader.GetString(0);
        raw.Stop();
        return new Figure($"rebuild all projections from {events:N0} events: events/s", events / clock.Elapsed.TotalSeconds,
            events / raw.Elapsed.TotalSeconds, "events/s", $"peak memory {peak:0} MiB (process start included)");
    }
}
