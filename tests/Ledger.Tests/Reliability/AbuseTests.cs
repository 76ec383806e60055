using System.Net;
using System.Net.Http.Headers;
using Alba;
using Ledger.Api.Audit;
using Ledger.Api.Setup;
using Ledger.Api.Writes;
using Ledger.Domain.Access;
using Ledger.Tests.Fixtures;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Timeouts;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Hosting;
using Npgsql;
using static Ledger.Tests.Fixtures.Scenarios;

namespace Ledger.Tests.Reliability;

/// <summary>What anyone can send without a token, and what many callers can start at once: none of it may cost the ledger much.</summary>
public sealed class AbuseTests(LedgerFixture fixture) : IntegrationTest(fixture)
{
    /// <summary>A request body of <paramref name="length"/> bytes that counts how much of it the server took.</summary>
    private sealed class CountingContent(long length) : HttpContent
    {
        private long _taken;
        public long Taken => Interlocked.Read(ref _taken);

        protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
        {
            var chunk = new byte[64 * 1024];
            Array.Fill(chunk, (byte)'x');
            for (long sent = 0; sent < length; sent += chunk.Length)
            {
                try
                {
                    await stream.WriteAsync(chunk.AsMemory(0, (int)Math.Min(chunk.Length, length - sent)));
                }
                catch (Exception e) when (e is IOException or OperationCanceledException or InvalidOperationException)
                {
                    return;   // the server answered without reading the rest
                }
                Interlocked.Add(ref _taken, Math.Min(chunk.Length, length - sent));
            }
        }

        protected override bool TryComputeLength(out long size)
        {
            size = length;
            return true;
        }
    }

    private async Task<(int Status, long Taken)> SendLarge(string url, string? token)
    {
        var content = new CountingContent(16 * 1024 * 1024) { Headers = { ContentType = new MediaTypeHeaderValue("text/csv") } };
        var response = await Given.Send(HttpMethod.Post, url, token, content);
        return (response.StatusCode, content.Taken);
    }

    [Fact]
    public async Task A_large_body_without_a_token_or_the_role_or_a_route_is_answered_without_being_read()
    {
        // 16 MiB is under the import's 20 MiB limit: before authorisation came first, all of it was buffered.
        var anonymous = await SendLarge("/api/registry/import", null);
        Assert.Equal(401, anonymous.Status);
        Assert.True(anonymous.Taken < 2 * 1024 * 1024, $"the server read {anonymous.Taken} bytes of an anonymous request");

        var wrongRole = await SendLarge("/api/registry/import", Fixture.Token(Roles.Reviewer));
        Assert.Equal(403, wrongRole.Status);
        Assert.True(wrongRole.Taken < 2 * 1024 * 1024, $"the server read {wrongRole.Taken} bytes of a request its caller may not make");

        var nowhere = await SendLarge("/api/no-such-route", Fixture.Token(Roles.PovertyOffice));
        Assert.Equal(404, nowhere.Status);
        Assert.True(nowhere.Taken < 2 * 1024 * 1024, $"the server read {nowhere.Taken} bytes sent to no route");

        // The one who may import still gets the body read, and its size checked.
        var allowed = await Given.ImportCsv("town_code,name,kind\n" + new string('x', 21 * 1024 * 1024), Fixture.Token(Roles.PovertyOffice));
        Assert.Equal(413, allowed.StatusCode);
        Assert.Equal(0, await Fixture.EventCountAsync());
    }

    private Task<IScenarioResult> PostFrom(string address, string url, object body, string? forwardedFor = null, string? token = null) =>
        Host.Scenario(s =>
        {
            s.ConfigureHttpContext(c => c.Connection.RemoteIpAddress = IPAddress.Parse(address));
            if (forwardedFor is not null) s.WithRequestHeader("X-Forwarded-For", forwardedFor);
            if (token is not null) s.WithRequestHeader("Authorization", $"Bearer {token}");
            s.Post.Json(body).ToUrl(url);
            s.IgnoreStatusCode();
        });

    private async Task<(long Rows, long Refusals, long Individual)> RefusalRowsAsync()
    {
        await using var connection = new NpgsqlConnection(Environment.GetEnvironmentVariable("LEDGER_TEST_DB"));
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            $"select (select count(*) from {RefusedWrites.AnonymousTable}), (select coalesce(sum(refusals), 0)::bigint from {RefusedWrites.AnonymousTable}), " +
            $"(select count(*) from {RefusedWrites.Table})", connection);
        await using var reader = await command.ExecuteReaderAsync();
        await reader.ReadAsync();
        return (reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2));
    }

    [Fact]
    public async Task Refusals_without_a_token_are_counted_per_client_and_minute_not_stored_one_by_one()
    {
        for (var i = 0; i < 200; i++)
            Assert.Equal(401, (await PostFrom("198.51.100.20", "/api/inspections", new { })).Context.Response.StatusCode);
        var (rows, refusals, individual) = await RefusalRowsAsync();
        Assert.Equal(0, individual);
        Assert.InRange(rows, 1, 2);   // one per minute: the burst may straddle a minute's end
        Assert.Equal(200, refusals);

        // Many clients: still at most MaxSourcesPerMinute rows (and one for the rest) a minute.
        const int clients = RefusedWrites.MaxSourcesPerMinute + 50;
        for (var i = 0; i < clients; i++)
            await PostFrom($"203.0.113.{i % 250}", "/api/inspections", new { }, token: null);
        var after = await RefusalRowsAsync();
        Assert.Equal(200 + clients, after.Refusals);
        Assert.True(after.Rows - rows <= 2 * (RefusedWrites.MaxSourcesPerMinute + 1), $"{after.Rows - rows} rows for {clients} clients");
        Assert.True(after.Rows - rows < clients);

        // A caller with a token refused for its role is still recorded one by one, with who it was.
        await Given.PostJson("/api/rulebooks", new { }, Fixture.Token(Roles.Reviewer, "审阅者"));
        Assert.Equal(1, (await RefusalRowsAsync()).Individual);
        var listed = await Given.Get<List<RefusedWrite>>("/api/audit/refused-writes?limit=1000", Roles.Reviewer);
        Assert.Contains(listed, w => w.Status == 403 && w.User == "审阅者" && w.Path == "/api/rulebooks" && w.Count == 1);
        var counted = Assert.Single(listed, w => w.Status == 401 && w.Source == "198.51.100.20" && w.Count > 1);
        Assert.Equal("/api/inspections", counted.Path);
    }

    private async Task<long> IdempotencyRowsAsync()
    {
        await using var connection = new NpgsqlConnection(Environment.GetEnvironmentVariable("LEDGER_TEST_DB"));
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"select count(*) from {Idempotency.Table}", connection);
        return (long)(await command.ExecuteScalarAsync())!;
    }

    private static Dictionary<string, string> Key(string key, string? ifMatch = null) =>
        ifMatch is null ? new() { ["Idempotency-Key"] = key } : new() { ["Idempotency-Key"] = key, ["If-Match"] = ifMatch };

    [Fact]
    public async Task No_idempotency_key_is_kept_for_a_path_without_a_route_or_a_caller_without_a_token()
    {
        var office = Fixture.Token(Roles.InspectionOffice);
        Assert.Equal(404, (await Given.PostJson("/api/no-such-route", new { }, office, Key("k-nowhere"))).StatusCode);
        Assert.Equal(404, (await Given.PostJson("/api/inspections/x/y/z", new { }, office, Key("k-nowhere-2"))).StatusCode);
        Assert.Equal(405, (await Given.PostJson("/api/towns", new { }, office, Key("k-get-only"))).StatusCode);
        Assert.Equal(401, (await Given.PostJson("/api/inspections", new { }, null, Key("k-anonymous"))).StatusCode);
        Assert.Equal(0, await IdempotencyRowsAsync());

        await Given.SampleRegistry();
        await Expect(await Given.PostJson("/api/inspections", PlanBody(), office, Key("k-real")), 201);
        Assert.Equal(1, await IdempotencyRowsAsync());
    }

    [Fact]
    public async Task A_key_older_than_the_window_counts_as_new_and_the_purge_deletes_expired_keys()
    {
        await Given.SampleRegistry();
        var office = Fixture.Token(Roles.InspectionOffice);
        var first = await Given.PostJson("/api/inspections", PlanBody(), office, Key("k-old"));
        await Expect(first, 201);
        var window = Host.Services.GetRequiredService<Idempotency>().Window;
        Assert.Equal(TimeSpan.FromHours(24), window);

        // Within the window: the first answer again, nothing appended.
        var count = await Fixture.EventCountAsync();
        Assert.Equal(first.Location, (await Given.PostJson("/api/inspections", PlanBody(), office, Key("k-old"))).Location);
        Assert.Equal(count, await Fixture.EventCountAsync());

        // A day and a minute later the key is forgotten: the same request is a new one.
        await Fixture.ExecuteAsync($"update {Idempotency.Table} set created_at = now() - interval '24 hours 1 minute' where key = 'k-old'");
        var again = await Expect(await Given.PostJson("/api/inspections", PlanBody(), office, Key("k-old")), 201);
        Assert.NotEqual(first.Location, $"/api/inspections/{again.GetProperty("id").GetGuid()}");
        Assert.Equal(count + 1, await Fixture.EventCountAsync());

        // The purge deletes what is older than the window and keeps the rest.
        await Expect(await Given.PostJson("/api/inspections", PlanBody(towns: ["440233105"]), office, Key("k-fresh")), 201);
        await Fixture.ExecuteAsync($"update {Idempotency.Table} set created_at = now() - interval '25 hours' where key = 'k-old'");
        Assert.Equal(2, await IdempotencyRowsAsync());
        Assert.Equal(1, await Host.Services.GetRequiredService<Idempotency>().PurgeExpiredAsync(CancellationToken.None));
        Assert.Equal(1, await IdempotencyRowsAsync());
        Assert.Contains(Host.Services.GetServices<IHostedService>(), s => s is IdempotencyPurge);
    }

    [Fact]
    public async Task Concurrent_duplicates_with_one_key_are_recorded_once_and_all_get_the_first_answer()
    {
        await Given.SampleRegistry();
        var office = Fixture.Token(Roles.InspectionOffice);
        for (var round = 0; round < 5; round++)
        {
            var before = await Fixture.EventCountAsync();
            var answers = await Task.WhenAll(Enumerable.Range(0, 8)
                .Select(_ => Given.PostJson("/api/inspections", PlanBody(), office, Key($"race-{round}"))));
            Assert.Equal(before + 1, await Fixture.EventCountAsync());
            var first = answers[0];
            Assert.All(answers, a =>
            {
                Assert.Equal(201, a.StatusCode);
                Assert.Equal(first.Location, a.Location);
                Assert.Equal(first.Body, a.Body);
            });
            // And what is stored is that answer: a later retry gets it too.
            var later = await Given.PostJson("/api/inspections", PlanBody(), office, Key($"race-{round}"));
            Assert.Equal((201, first.Location), (later.StatusCode, later.Location));
        }
    }

    [Fact]
    public async Task The_same_key_with_another_if_match_is_another_request()
    {
        await Given.SampleRegistry();
        Fixture.Clock.SetToday(new DateOnly(2017, 7, 10));
        var id = await Given.InspectionInField();
        var caseId = await Given.RecordedFinding(id);
        var office = Fixture.Token(Roles.InspectionOffice);
        var body = new { reason = "r", severity = "grave" };
        await Expect(await Given.PostJson($"/api/findings/{caseId}/amendments", body, office, Key("amend-1", "\"1\"")), 200);
        var count = await Fixture.EventCountAsync();
        var other = await Given.PostJson($"/api/findings/{caseId}/amendments", body, office, Key("amend-1", "\"2\""));
        Assert.Equal(422, other.StatusCode);
        Assert.Equal(count, await Fixture.EventCountAsync());
        // The same If-Match is the same request: its answer again.
        Assert.Equal(200, (await Given.PostJson($"/api/findings/{caseId}/amendments", body, office, Key("amend-1", "\"1\""))).StatusCode);
        Assert.Equal(count, await Fixture.EventCountAsync());
    }

    private Task<IScenarioResult> TipFrom(string address, string? forwardedFor = null, string county = "110101") =>
        PostFrom(address, "/api/tips", new { description = "举报", county }, forwardedFor);

    /// <summary>Spends a client's whole minute of tips, then one more: that one must be refused.</summary>
    private async Task ExhaustAsync(Func<int, Task<IScenarioResult>> send)
    {
        for (var i = 0; i < LedgerFixture.PublicPermitsPerMinute; i++)
            Assert.NotEqual(429, (await send(i)).Context.Response.StatusCode);
        Assert.Equal(429, (await send(-1)).Context.Response.StatusCode);
    }

    [Fact]
    public async Task Forwarded_addresses_are_believed_only_from_the_configured_proxies()
    {
        // Through the proxy, each citizen has a bucket of their own.
        await ExhaustAsync(_ => TipFrom(LedgerFixture.Proxy, "198.51.100.1"));
        Assert.Equal(404, (await TipFrom(LedgerFixture.Proxy, "198.51.100.2")).Context.Response.StatusCode);

        // A client that is no proxy cannot pick its address: every request counts against its own.
        await ExhaustAsync(i => TipFrom("198.51.100.50", $"192.0.2.{(i + 256) % 250}"));
        Assert.Equal(429, (await TipFrom("198.51.100.50", "192.0.2.77")).Context.Response.StatusCode);

        // A proxy of the configured network is believed too.
        await ExhaustAsync(_ => TipFrom("2001:db8:ffff::7", "198.51.100.3"));
        Assert.Equal(404, (await TipFrom("2001:db8:ffff::7", "198.51.100.4")).Context.Response.StatusCode);
    }

    [Fact]
    public async Task An_ipv6_client_is_one_bucket_per_64_however_it_rotates()
    {
        await ExhaustAsync(i => TipFrom($"2001:db8:1:2::{(i + 1000):x}"));
        Assert.Equal(429, (await TipFrom("2001:db8:1:2:ffff:ffff:ffff:fffe")).Context.Response.StatusCode);
        Assert.Equal(404, (await TipFrom("2001:db8:1:3::1")).Context.Response.StatusCode);
        Assert.Equal("2001:db8:1:2::/64", RequestLimits.ClientKey(IPAddress.Parse("2001:db8:1:2:abcd::1")));
        Assert.Equal("198.51.100.9", RequestLimits.ClientKey(IPAddress.Parse("::ffff:198.51.100.9")));
    }

    [Fact]
    public async Task Tips_are_taken_only_for_the_counties_this_ledger_serves()
    {
        await Given.SampleRegistry();
        var before = await Fixture.EventCountAsync();
        foreach (var county in new[] { "440229", "110101" })
        {
            var refused = await Given.PostJson("/api/tips", new { description = "举报", county }, null);
            Assert.Equal(404, refused.StatusCode);
            Assert.Equal("application/problem+json", refused.ContentType);
            Assert.Equal(404, (await Given.PostJson("/api/tips/status", new { receipt = $"{county}-AAAA-BBBB-CCCC-DDDD" }, null)).StatusCode);
        }
        Assert.Equal(before, await Fixture.EventCountAsync());
        Assert.Equal(201, (await Given.PostJson("/api/tips", new { description = "举报", county = "440233" }, null)).StatusCode);
        Assert.Equal(before + 1, await Fixture.EventCountAsync());
    }

    /// <summary>Polls the database until <paramref name="condition"/> holds (or <paramref name="giveUp"/> completes first).</summary>
    private static async Task<bool> UntilAsync(Func<Task<bool>> condition, Task giveUp)
    {
        while (!giveUp.IsCompleted)
        {
            if (await condition()) return true;
            await Task.Delay(20);
        }
        return false;
    }

    [Fact]
    public async Task A_second_heavy_request_of_a_group_is_refused_with_retry_after_while_the_first_runs()
    {
        await Given.SampleRegistry();
        var reviewer = Fixture.Token(Roles.Reviewer);
        Assert.Equal(200, (await Given.Get("/api/cases/export.xlsx", reviewer)).StatusCode);   // routes compiled, nothing held
        await Fixture.SettledAsync();   // the async daemon idle: nothing but the exports will touch the case tables

        // Hold the first export inside its query: the case tables are locked by this test until it says so.
        await using var holder = new NpgsqlConnection(Environment.GetEnvironmentVariable("LEDGER_TEST_DB"));
        await holder.OpenAsync();
        var tx = await holder.BeginTransactionAsync();
        await using (var lockTables = new NpgsqlCommand("lock table ledger.mt_doc_caseview, ledger.mt_doc_caserow in access exclusive mode", holder, tx))
            await lockTables.ExecuteNonQueryAsync();
        async Task<long> WaitingOnCases()
        {
            await using var connection = new NpgsqlConnection(Environment.GetEnvironmentVariable("LEDGER_TEST_DB"));
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand(
                "select count(*) from pg_stat_activity where wait_event_type = 'Lock' and query ilike 'select%mt_doc_case%' and pid <> pg_backend_pid()", connection);
            return (long)(await command.ExecuteScalarAsync())!;
        }

        var client = Host.Server.CreateClient();
        HttpRequestMessage Export() => new(HttpMethod.Get, "/api/cases/export.xlsx") { Headers = { Authorization = new("Bearer", reviewer) } };
        var first = client.SendAsync(Export());
        var held = await UntilAsync(async () => await WaitingOnCases() >= 1, first);
        HttpResponseMessage? second = null;
        try
        {
            Assert.True(held, "the first export finished before it was held");
            var sending = client.SendAsync(Export());
            // Without a limit the second would wait on the lock as well: seen as two waiters, not as a hang.
            var twoWaiting = await UntilAsync(async () => await WaitingOnCases() >= 2, sending);
            Assert.False(twoWaiting, "the second export ran beside the first");
            second = await sending;
            Assert.Equal(HttpStatusCode.TooManyRequests, second.StatusCode);
            Assert.Equal("application/problem+json", second.Content.Headers.ContentType?.MediaType);
            Assert.True(second.Headers.RetryAfter?.Delta > TimeSpan.Zero, "no Retry-After");

            // Another group is not held up by this one, nor is CSV of another route's export.
            Assert.Equal(200, (await Given.Get("/api/ledger/verify", reviewer)).StatusCode);
        }
        finally
        {
            await tx.RollbackAsync();
        }
        Assert.Equal(HttpStatusCode.OK, (await first).StatusCode);
        Assert.Equal(200, (await Given.Get("/api/cases/export.xlsx", reviewer)).StatusCode);
    }

    [Fact]
    public async Task Every_heavy_route_has_a_concurrency_group_and_a_timeout()
    {
        var endpoints = Host.Services.GetServices<EndpointDataSource>().SelectMany(s => s.Endpoints).OfType<RouteEndpoint>().ToList();
        var heavy = endpoints.Where(e => e.Metadata.GetMetadata<HeavyAttribute>() is not null)
            .ToDictionary(e => $"{e.Metadata.GetMetadata<IHttpMethodMetadata>()!.HttpMethods[0]} {e.RoutePattern.RawText}");
        string[] expected =
        [
            "GET /api/cases/export.xlsx", "GET /api/rectifications/export.xlsx", "GET /api/assessments/{year}/export.xlsx",
            "GET /api/towns/{code}/events.ndjson", "GET /api/cases/{id}/events.ndjson", "GET /api/cases", "GET /api/rectifications",
            "GET /api/ledger/verify", "GET /api/ledger/verify-views", "GET /api/ledger/digest", "GET /api/ledger/proof/{sequence}",
            "GET /api/ledger/consistency", "POST /api/ledger/heads", "GET /api/cases/{id}", "GET /api/assessments/{year}/published/{revision}/recompute",
            "GET /api/cases/{id}/bundle",
        ];
        Assert.Equal(expected.Order(), heavy.Keys.Order());
        Assert.All(heavy.Values, e => Assert.Equal(HeavyRoutes.Timeout, e.Metadata.GetMetadata<RequestTimeoutAttribute>()?.PolicyName));
        var timeouts = Host.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<RequestTimeoutOptions>>().Value;
        Assert.Equal(TimeSpan.FromSeconds(120), timeouts.Policies[HeavyRoutes.Timeout].Timeout);
        Assert.Equal(503, timeouts.Policies[HeavyRoutes.Timeout].TimeoutStatusCode);
        await Task.CompletedTask;
    }
}
