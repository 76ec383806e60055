using Ledger.Domain.Access;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Ledger.Api.Auth;
using Ledger.Domain.Common;
using Ledger.Load;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

// The reliability drills of docs/reliability.md, run by scripts/reliability.sh against a throwaway
// cluster: kill (SIGKILL the API under write load), pg-restart (PostgreSQL stopped and started under
// load), soak (32 clients mixing writes and reads), backup (scripts/backup.sh under write load, then
// scripts/restore.sh into a new cluster and the API on it). Every request goes to 127.0.0.1 only.
var options = args.Select((a, i) => (a, i)).Where(x => x.a.StartsWith("--")).ToDictionary(x => x.a[2..], x => args.ElementAtOrDefault(x.i + 1) ?? "");
string Option(string name, string fallback) => options.TryGetValue(name, out var v) && v.Length > 0 ? v : fallback;
var mode = Option("mode", "soak");
var db = Option("db", Environment.GetEnvironmentVariable("LEDGER_DB") ?? "");
if (db.Length == 0) throw new ArgumentException("--db (or LEDGER_DB) is required: a PostgreSQL connection string");
var dll = Option("api", Path.Combine(AppContext.BaseDirectory, "Ledger.Api.dll"));
var seconds = int.Parse(Option("seconds", mode == "soak" ? "60" : "20"));
var clients = int.Parse(Option("clients", mode == "soak" ? "32" : "8"));
var port = int.Parse(Option("port", "5180"));
var registry = Option("registry", "data/registry");

var signingKey = Convert.ToBase64String(Guid.NewGuid().ToByteArray()) + Convert.ToBase64String(Guid.NewGuid().ToByteArray());
var env = new Dictionary<string, string>
{
    ["ConnectionStrings__Ledger"] = db,
    ["Ledger__Jwt__SigningKey"] = signingKey,
    ["Ledger__Crypto__Key"] = Convert.ToBase64String(Enumerable.Range(0, 32).Select(i => (byte)(i * 7)).ToArray()),
    ["Ledger__Audit__MacKey"] = Convert.ToBase64String(Enumerable.Range(0, 32).Select(i => (byte)(i * 11)).ToArray()),
};
var witness = Option("witness", "");
if (mode == "backup")
{
    // Signed heads, witnessed outside the database and made every second, as a deployment keeps them:
    // the witness outlives the database's restore.
    if (witness.Length == 0) throw new ArgumentException("--witness DIRECTORY is required by the backup drill");
    using var headKey = System.Security.Cryptography.ECDsa.Create(System.Security.Cryptography.ECCurve.NamedCurves.nistP256);
    env["Ledger__Audit__SigningKey"] = headKey.ExportPkcs8PrivateKeyPem();
    env["Ledger__Audit__WitnessDirectory"] = witness;
    env["Ledger__Audit__HeadInterval"] = "00:00:01";
}
foreach (var (key, value) in env) Environment.SetEnvironmentVariable(key, value);

// Generate: realistic county histories straight into the event store (no API), e.g. one county
// (--counties 1) or a province (--counties 120); --events stops early once that many exist.
async Task<(int Counties, long Events, TimeSpan Took)> Generate(int counties, long events)
{
    await using var ledger = await Ledger.Api.Cli.LedgerCommands.OpenLedgerAsync();
    var store = ledger.Services.GetRequiredService<Marten.IDocumentStore>();
    var clock = Stopwatch.StartNew();
    var written = await new Generator(store, registry, years: int.Parse(Option("years", "5"))).RunAsync(counties, events, Console.WriteLine);
    return (written, (await store.Advanced.FetchEventStoreStatistics()).EventCount, clock.Elapsed);
}
if (mode == "generate")
{
    var (counties, events, took) = await Generate(int.Parse(Option("counties", "1")), long.Parse(Option("events", long.MaxValue.ToString())));
    Console.WriteLine($"generated {counties} counties in {took.TotalSeconds:0} s; the ledger holds {events:N0} events");
    return 0;
}

var tokens = new TokenIssuer(new JwtSettings { SigningKey = signingKey }, TimeProvider.System);
string Token(string role, string user) => tokens.Issue(user, role, lifetime: TimeSpan.FromHours(2));

// History growth: one county generated with --years of history, then its town scores, one town's breakdown
// and a town's accountability as of now, p50 over --seconds each: first folded from the first event (as
// every one was before checkpoints: the checkpoint sweep off, asOf = now), then as served now (scores and
// breakdown from the live views, asOf from the checkpoint the sweep takes at start).
if (mode == "history")
{
    var years = int.Parse(Option("years", "5"));
    var county = Generator.CountyCode(0);
    var generating = Stopwatch.StartNew();
    await using (var ledger = await Ledger.Api.Cli.LedgerCommands.OpenLedgerAsync())
        await new Generator(ledger.Services.GetRequiredService<Marten.IDocumentStore>(), registry, years: years).CountyAsync(county, new Random(2017));
    generating.Stop();
    await using var historyDb = NpgsqlDataSource.Create(db);
    async Task<long> HistoryCount(string sql)
    {
        await using var command = historyDb.CreateCommand(sql);
        return Convert.ToInt64(await command.ExecuteScalarAsync());
    }
    var events = await HistoryCount("select count(*) from ledger.mt_events");
    var reviewerToken = tokens.Issue("bench-reviewer", Roles.Reviewer, county: county, lifetime: TimeSpan.FromHours(2));
    var last = Generator.FirstYear + years - 1;
    var town = $"{county}100";
    async Task<double> P50(HttpClient client, string url)
    {
        // One request first, unmeasured: the route's first call compiles its handler and warms the caches.
        using (var warm = new HttpRequestMessage(HttpMethod.Get, url))
        {
            warm.Headers.Authorization = new AuthenticationHeaderValue("Bearer", reviewerToken);
            (await client.SendAsync(warm)).EnsureSuccessStatusCode();
        }
        var rate = await Bench.MeasureAsync(1, TimeSpan.FromSeconds(seconds), async (_, _) =>
        {
            using var get = new HttpRequestMessage(HttpMethod.Get, url);
            get.Headers.Authorization = new AuthenticationHeaderValue("Bearer", reviewerToken);
            (await client.SendAsync(get)).EnsureSuccessStatusCode();
        });
        return rate.P50Ms;
    }
    async Task<double[]> Measure(bool checkpoints)
    {
        var settings = new Dictionary<string, string>(env) { ["Ledger__Checkpoints__Daily"] = checkpoints ? "true" : "false" };
        using var process = new ApiProcess(dll, port, settings);
        await process.StartAsync();
        using var client = new HttpClient { BaseAddress = new Uri(process.BaseUrl), Timeout = TimeSpan.FromMinutes(10) };
        // The chain over the generated events (the digest extends it), and the daemon's views current.
        using (var get = new HttpRequestMessage(HttpMethod.Get, "/api/ledger/digest"))
        {
            get.Headers.Authorization = new AuthenticationHeaderValue("Bearer", reviewerToken);
            (await client.SendAsync(get)).EnsureSuccessStatusCode();
        }
        for (var i = 0; i < 1200 && await HistoryCount("select coalesce(min(last_seq_id), 0) from ledger.mt_event_progression where name like 'AccountabilityView%' or name like 'CaseRow%'")
                 < await HistoryCount("select coalesce(max(seq_id), 0) from ledger.mt_events"); i++)
            await Task.Delay(500);
        var now = Uri.EscapeDataString(DateTimeOffset.UtcNow.ToString("O"));
        if (checkpoints)
        {
            // The sweep at start checkpoints what the chain held then: restarted once the chain is whole.
            process.Kill();
            await process.StartAsync();
            for (var i = 0; i < 1200 && await HistoryCount($"select count(*) from ledger.accountability_checkpoints where seq_id = (select max(seq_id) from ledger.ledger_chain)") == 0; i++)
                await Task.Delay(500);
            return [await P50(client, $"/api/assessments/{last}/towns"), await P50(client, $"/api/assessments/{last}/towns/{town}"),
                await P50(client, $"/api/towns/{town}/accountability?year={last}&asOf={now}")];
        }
        return [await P50(client, $"/api/assessments/{last}/towns?asOf={now}"), await P50(client, $"/api/assessments/{last}/towns/{town}?asOf={now}"),
            await P50(client, $"/api/towns/{town}/accountability?year={last}&asOf={now}")];
    }
    var before = await Measure(checkpoints: false);
    var after = await Measure(checkpoints: true);
    Console.WriteLine($"| {years} | {events:N0} | {before[0]:0} → {after[0]:0} ms | {before[1]:0} → {after[1]:0} ms | {before[2]:0} → {after[2]:0} ms | generated in {generating.Elapsed.TotalSeconds:0} s |");
    return 0;
}

using var api = new ApiProcess(dll, port, env);
await api.StartAsync();
var http = new HttpClient { BaseAddress = new Uri(api.BaseUrl), Timeout = TimeSpan.FromMinutes(5) };

async Task<JsonElement> Send(HttpMethod method, string url, string token, HttpContent? content = null, int expect = 200)
{
    using var request = new HttpRequestMessage(method, url) { Content = content };
    request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
    var response = await http.SendAsync(request);
    var text = await response.Content.ReadAsStringAsync();
    if ((int)response.StatusCode != expect) throw new InvalidOperationException($"{method} {url}: {(int)response.StatusCode} {text}");
    return text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone();
}

// Given: the registry and one inspection in the field.
var po = Token(Roles.PovertyOffice, "load-po");
foreach (var file in new[] { "towns.csv", "villages.csv", "units.csv", "pairings.csv" })
    await Send(HttpMethod.Post, "/api/registry/import", po, new StringContent(File.ReadAllText(Path.Combine(registry, file)), Encoding.UTF8, "text/csv"));
var io = Token(Roles.InspectionOffice, "load-io");
var year = DateTime.UtcNow.Year;
var plan = await Send(HttpMethod.Post, "/api/inspections", io, JsonContent.Create(new
{
    kind = "comprehensive", year, towns = new[] { "440233100", "440233101" }, units = Array.Empty<string>(),
    responsibilities = new[] { new { item = "load", owner = "load" } }, plannedStart = $"{year}-01-02", plannedEnd = $"{year}-12-30",
}), 201);
var inspection = plan.GetProperty("id").GetGuid();
await Send(HttpMethod.Post, $"/api/inspections/{inspection}/team", io, JsonContent.Create(new
{
    expectedVersion = 1, leader = new { user = "load-leader", name = "负载组长", unitCode = "czj" },
}));
await Send(HttpMethod.Post, $"/api/inspections/{inspection}/fieldwork", io, JsonContent.Create(new { expectedVersion = 2 }));
var inspector = Token(Roles.Inspector, "load-leader");
var reviewer = Token(Roles.Reviewer, "load-reviewer");

if (mode == "bench")
{
    var bench = new Bench(http, db, role => role switch
    {
        "inspector" => inspector,
        _ => reviewer,
    }, api);
    await bench.RealisticTownAsync(async (method, url, role, body, expect) => await Send(method, url, role switch
    {
        "inspection-office" => io,
        "poverty-office" => po,
        _ => inspector,
    }, body is null ? null : JsonContent.Create(body), expect), year);
    // --only writes: the write figures alone (for trying a rework quickly).
    var onlyWrites = Option("only", "") == "writes";
    var figures = await bench.RunAsync(inspection, TimeSpan.FromSeconds(seconds), onlyWrites);
    api.Kill();
    if (!onlyWrites)
    {
        // Province scale: generated counties until the ledger holds a million events, then the
        // rebuild, the chain and a county's town-year read over all of them.
        var (counties, events, took) = await Generate(int.MaxValue, long.Parse(Option("events", "1000000")));
        Console.WriteLine($"generated {counties} counties ({events:N0} events in the ledger) in {took.TotalSeconds:0} s");
        figures.Add(await Bench.RebuildAsync(dll, env, db));
        await api.StartAsync();
        figures.AddRange(await bench.ProvinceAsync(Generator.CountyCode(1), TimeSpan.FromSeconds(seconds),
            county => tokens.Issue("bench-reviewer", Roles.Reviewer, county: county, lifetime: TimeSpan.FromHours(2))));
    }
    Console.WriteLine($"benchmark on {Environment.ProcessorCount} cores, {GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / (1L << 30)} GiB, {DateTime.UtcNow:yyyy-MM-dd}");
    Console.WriteLine("| figure | ledger | floor (raw Npgsql) | ratio | note |");
    Console.WriteLine("|---|---|---|---|---|");
    foreach (var f in figures)
        Console.WriteLine($"| {f.What} | {f.Ledger:0.0} {f.Unit} | {(f.Floor == 0 ? "—" : $"{f.Floor:0.0} {f.Unit}")} | {(f.Floor == 0 ? "—" : $"{f.Ratio:0.00}")} | {f.Note} |");
    return 0;
}

// The load: each client posts findings, each with its own Idempotency-Key, and retries the same key
// until it gets a final answer (as a careful client does across a crash); some clients also read.
var acknowledged = new ConcurrentDictionary<string, Guid>();
var statuses = new ConcurrentDictionary<int, int>();
var transportErrors = 0;
var memory = new ConcurrentBag<double>();
var stop = new CancellationTokenSource();
var writesOnly = mode != "soak";
HashSet<string>? acknowledgedBeforeBackup = null;
string? backupDirectory = null;

async Task Client(int n)
{
    var random = new Random(n);
    var sequence = 0;
    while (!stop.IsCancellationRequested)
    {
        if (!writesOnly && random.Next(3) > 0 && acknowledged.Count > 0)
        {
            var read = random.Next(3) switch
            {
                0 => $"/api/cases/{acknowledged.Values.ElementAt(random.Next(acknowledged.Count))}",
                1 => "/api/cases?pageSize=20",
                _ => $"/api/towns/440233100/accountability?year={year}",
            };
            try
            {
                using var get = new HttpRequestMessage(HttpMethod.Get, read);
                get.Headers.Authorization = new AuthenticationHeaderValue("Bearer", reviewer);
                var answer = await http.SendAsync(get);
                statuses.AddOrUpdate((int)answer.StatusCode, 1, (_, c) => c + 1);
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException) { Interlocked.Increment(ref transportErrors); }
            continue;
        }
        var key = $"load-{n}-{sequence++}";
        var finding = new { town = "440233100", area = 1 + random.Next(8), method = "field-investigation", severity = "minor", description = key };
        while (true)
        {
            try
            {
                using var post = new HttpRequestMessage(HttpMethod.Post, $"/api/inspections/{inspection}/findings") { Content = JsonContent.Create(finding) };
                post.Headers.Authorization = new AuthenticationHeaderValue("Bearer", inspector);
                post.Headers.Add("Idempotency-Key", key);
                var answer = await http.SendAsync(post);
                var status = (int)answer.StatusCode;
                statuses.AddOrUpdate(status, 1, (_, c) => c + 1);
                if (status == 201)
                {
                    acknowledged[key] = JsonDocument.Parse(await answer.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetGuid();
                    break;
                }
                if (status == 409 && (await answer.Content.ReadAsStringAsync()).Contains("was recorded but its answer"))
                    break;  // committed just before a crash: recorded, though the answer was lost
                if (status is 503 or 409) { await Task.Delay(200); continue; }  // try the same key again
                break;
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                Interlocked.Increment(ref transportErrors);
                if (stop.IsCancellationRequested) break;
                await Task.Delay(200);
            }
        }
    }
}

var clock = Stopwatch.StartNew();
var load = Enumerable.Range(0, clients).Select(Client).ToArray();
var sampler = Task.Run(async () =>
{
    while (!stop.IsCancellationRequested)
    {
        if (api.ResidentMiB() is { } mib) memory.Add(mib);
        await Task.Delay(1000);
    }
});

var pgData = Option("pgdata", "");
var pgBin = Option("pgbin", "");
var pgUser = Option("pguser", "postgres");
void PgCtl(string action)
{
    var info = new ProcessStartInfo("runuser", ["-u", pgUser, "--", Path.Combine(pgBin, "pg_ctl"), "-D", pgData, "-w", "-m", "fast", action]);
    if (action == "start") info.ArgumentList.Insert(info.ArgumentList.Count - 1, "-l");
    if (action == "start") info.ArgumentList.Insert(info.ArgumentList.Count - 1, Path.Combine(pgData, "server.log"));
    using var p = Process.Start(info)!;
    p.WaitForExit();
}

switch (mode)
{
    case "kill":
        await Task.Delay(TimeSpan.FromSeconds(seconds / 2));
        Console.WriteLine($"SIGKILL the API at {clock.Elapsed.TotalSeconds:0.0}s with {acknowledged.Count} writes acknowledged");
        api.Kill();
        await Task.Delay(1000);
        await api.StartAsync();
        Console.WriteLine($"API back at {clock.Elapsed.TotalSeconds:0.0}s");
        await Task.Delay(TimeSpan.FromSeconds(seconds / 2));
        break;
    case "pg-restart":
        await Task.Delay(TimeSpan.FromSeconds(seconds / 2));
        Console.WriteLine($"PostgreSQL stopped at {clock.Elapsed.TotalSeconds:0.0}s");
        PgCtl("stop");
        await Task.Delay(5000);
        PgCtl("start");
        Console.WriteLine($"PostgreSQL started at {clock.Elapsed.TotalSeconds:0.0}s");
        await Task.Delay(TimeSpan.FromSeconds(seconds / 2));
        break;
    case "backup":
        await Task.Delay(TimeSpan.FromSeconds(seconds / 2));
        // Every write acknowledged so far committed before the backup begins: the backup must hold it.
        acknowledgedBeforeBackup = [.. acknowledged.Keys];
        Console.WriteLine($"backup begins at {clock.Elapsed.TotalSeconds:0.0}s with {acknowledgedBeforeBackup.Count} writes acknowledged");
        backupDirectory = Path.Combine(Option("work", Path.GetTempPath()), "backup");
        var source = new NpgsqlConnectionStringBuilder(db);
        var backup = await BackupDrill.ScriptAsync(Option("scripts", "scripts"), "backup.sh",
            ["--host", source.Host!, "--port", source.Port.ToString(), "--user", source.Username!, "--dbname", source.Database!, "--out", backupDirectory]);
        Console.WriteLine($"backup done at {clock.Elapsed.TotalSeconds:0.0}s (exit {backup.ExitCode}) with {acknowledged.Count} writes acknowledged");
        if (backup.ExitCode != 0) backupDirectory = null;
        await Task.Delay(TimeSpan.FromSeconds(seconds / 2));
        break;
    default:
        await Task.Delay(TimeSpan.FromSeconds(seconds));
        break;
}
stop.Cancel();
await Task.WhenAll(load);
await sampler;
var elapsed = clock.Elapsed;
// A head of everything written, witnessed: the witness now holds heads newer than the backup.
if (mode == "backup") await Send(HttpMethod.Post, "/api/ledger/heads", reviewer);

// Then: every acknowledged write is in the ledger exactly once; nothing is there twice.
await using var connection = new NpgsqlConnection(db);
await connection.OpenAsync();
async Task<long> Scalar(string sql)
{
    await using var command = new NpgsqlCommand(sql, connection);
    return Convert.ToInt64(await command.ExecuteScalarAsync());
}
var recorded = await Scalar("select count(*) from ledger.mt_events where type = 'finding_recorded' and data->>'Description' like 'load-%'");
var duplicates = await Scalar("select count(*) from (select data->>'Description' from ledger.mt_events where type = 'finding_recorded' group by 1 having count(*) > 1) d");
var missing = 0;
foreach (var caseId in acknowledged.Values)
{
    using var get = new HttpRequestMessage(HttpMethod.Get, $"/api/cases/{caseId}");
    get.Headers.Authorization = new AuthenticationHeaderValue("Bearer", reviewer);
    if (!(await http.SendAsync(get)).IsSuccessStatusCode) missing++;
}

// The async views catch up; the chain verifies.
var (settled, progress, high, waited) = await AsyncViews.SettleAsync(connection);
Console.WriteLine($"async views at {progress} of {high} after {waited.TotalSeconds:0.0} s of waiting");
var verification = await Send(HttpMethod.Get, "/api/ledger/verify", reviewer);

// The live async views equal a full rebuild of them from the events.
var live = await AsyncViews.ReadAsync(connection);
api.Kill();
await AsyncViews.RebuildAsync(dll, env);
var rebuilt = await AsyncViews.ReadAsync(connection);
var rebuildEqual = AsyncViews.Equal(live, rebuilt);

var fiveHundreds = statuses.Where(s => s.Key >= 500 && s.Key != 503).Sum(s => s.Value);
var report = new StringBuilder();
report.AppendLine($"mode {mode}: {clients} clients, {elapsed.TotalSeconds:0.0} s");
report.AppendLine($"answers: {string.Join(", ", statuses.OrderBy(s => s.Key).Select(s => $"{s.Key}×{s.Value}"))}; transport errors {transportErrors}");
report.AppendLine($"writes acknowledged {acknowledged.Count}, recorded {recorded}, duplicates {duplicates}, acknowledged but missing {missing}");
report.AppendLine($"throughput {acknowledged.Count / elapsed.TotalSeconds:0.0} acknowledged writes/s");
if (!memory.IsEmpty) report.AppendLine($"API resident memory MiB: min {memory.Min():0}, max {memory.Max():0}");
report.AppendLine($"async views caught up: {settled}; equal to a full rebuild: {rebuildEqual} ({live.Count} views); hash chain intact: {verification.GetProperty("intact").GetBoolean()} ({verification.GetProperty("checked").GetInt64()} events)");
Console.Write(report);

var ok = (mode != "backup" || await BackupDrill.RestoreAndCheckAsync(new BackupDrill.Setup(
             Option("scripts", "scripts"), backupDirectory, Option("restore-pgdata", ""), int.Parse(Option("restore-port", "0")), dll, port + 1, env, witness,
             acknowledgedBeforeBackup ?? [], [.. acknowledged.Keys], reviewer)))
         && duplicates == 0 && missing == 0 && fiveHundreds == 0 && settled && rebuildEqual && verification.GetProperty("intact").GetBoolean()
         && recorded >= acknowledged.Count && (mode != "soak" || recorded == acknowledged.Count);
Console.WriteLine(ok ? "RESULT: pass" : "RESULT: FAIL");
return ok ? 0 : 1;
