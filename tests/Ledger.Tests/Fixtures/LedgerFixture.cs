using Ledger.Api.Storage;
using Ledger.Api.Setup;
using Ledger.Api.Exports;
using Alba;
using JasperFx.CommandLine;
using Ledger.Api.Auth;
using Ledger.Domain.Common;
using Marten;
using Marten.Storage;
using Testcontainers.PostgreSql;

namespace Ledger.Tests.Fixtures;

/// <summary>
/// One API host for the whole test run, on a real PostgreSQL: <c>LEDGER_TEST_DB</c> when set
/// (./test.sh starts a throwaway cluster and sets it), else a Testcontainers PostgreSQL. That
/// connection is a superuser's; with it the fixture makes the two roles of a least-privileged
/// deployment (<see cref="DatabaseRoles"/>), migrates the schema as the owner (<c>ledger migrate</c>)
/// and runs the API as the app role, so the whole suite proves the API works with least privilege.
/// Resets and the tests' tampering use the owner's connection (an operator's), never the API's.
/// </summary>
public class LedgerFixture : IAsyncLifetime
{
    public const string SigningKey = "test-signing-key-that-is-long-enough-for-hs256!";
    /// <summary>The signing key of before a change-over: tokens it signed are still accepted (Ledger:Jwt:PreviousSigningKeys).</summary>
    public const string PreviousSigningKey = "the-previous-signing-key-still-accepted-for-now";
    public const int PublicPermitsPerMinute = 200;
    /// <summary>The address clients reach this ledger at (Ledger:PublicUrl): the API document's server.</summary>
    public const string PublicUrl = "https://ledger.xinfeng.test";
    /// <summary>The tests' limit on an evidence file (4 MiB: several chunks of the PostgreSQL store, quick to send).</summary>
    public const long EvidenceMaxBytes = 4 * 1024 * 1024;
    /// <summary>The reverse proxy whose X-Forwarded-For this host believes (Ledger:Proxies:KnownProxies).</summary>
    public const string Proxy = "192.0.2.10";
    /// <summary>A network of reverse proxies this host believes (Ledger:Proxies:KnownNetworks).</summary>
    public const string ProxyNetwork = "2001:db8:ffff::/48";
    public static readonly string CryptoKey = Convert.ToBase64String(Enumerable.Range(1, 32).Select(i => (byte)i).ToArray());
    /// <summary>The key that seals every event as it is appended (Ledger:Audit:MacKey).</summary>
    public static readonly byte[] MacKey = Enumerable.Range(100, 32).Select(i => (byte)i).ToArray();
    /// <summary>The key that signs tree heads (ECDSA P-256, PKCS#8 PEM), made once per test run.</summary>
    public static readonly string HeadSigningKey = System.Security.Cryptography.ECDsa.Create(System.Security.Cryptography.ECCurve.NamedCurves.nistP256)
        .ExportPkcs8PrivateKeyPem();
    /// <summary>This host's witness directory of tree heads, outside the database: a temporary directory of its own.</summary>
    public string WitnessDirectory { get; } = Path.Combine(Path.GetTempPath(), $"ledger-witness-{Guid.NewGuid():N}");
    /// <summary>Hosts read their settings from the environment while they are built: one host at a time.</summary>
    private static readonly SemaphoreSlim HostBuilding = new(1, 1);
    private readonly List<PostgreSqlContainer> _containers = [];

    /// <summary>The role that owns and migrates the schema, and the role the API connects as.</summary>
    public const string OwnerRole = DatabaseRoles.DefaultOwner, AppRole = DatabaseRoles.DefaultApp;
    /// <summary>Passwords for servers that ask for one (Testcontainers); ./test.sh's clusters trust local connections.</summary>
    private const string OwnerPassword = "ledger-test-owner", AppPassword = "ledger-test-app";

    public IAlbaHost Host { get; private set; } = null!;
    public TestClock Clock { get; } = new();
    /// <summary>Every line the host logs, with its scope (the logging tests read them).</summary>
    public CapturedLogs Logs { get; } = new();
    /// <summary>The webhook the host offers reminders to (Ledger:Webhook:Url).</summary>
    public WebhookReceiver Webhook { get; } = new();
    public IDocumentStore Store => Host.Services.GetRequiredService<IDocumentStore>();
    /// <summary>Tokens are issued on real time: the token check does not follow the test clock.</summary>
    public TokenIssuer Tokens => new(Host.Services.GetRequiredService<JwtSettings>(), TimeProvider.System);

    /// <summary>Where the ledger's data lives: one database for a county deployment.</summary>
    protected virtual async Task<Dictionary<string, string>> DatabaseSettingsAsync() => new()
    {
        ["ConnectionStrings:Ledger"] = await DatabaseAsync("LEDGER_TEST_DB"),
    };

    /// <summary>Settings a host of a particular test adds or overrides.</summary>
    protected virtual IReadOnlyDictionary<string, string> MoreSettings() => new Dictionary<string, string>();

    /// <summary>The connection string in the variable, else a fresh Testcontainers PostgreSQL.</summary>
    protected async Task<string> DatabaseAsync(string variable)
    {
        var connectionString = Environment.GetEnvironmentVariable(variable);
        if (!string.IsNullOrWhiteSpace(connectionString)) return connectionString;
        try
        {
            var container = new PostgreSqlBuilder("postgres:16-alpine").Build();
            _containers.Add(container);
            await container.StartAsync();
            return container.GetConnectionString();
        }
        catch (Exception e)
        {
            throw new InvalidOperationException(
                $"The tests need PostgreSQL. Run ./test.sh (it starts throwaway local clusters), or set {variable} to a " +
                $"connection string, or make a Docker engine available for Testcontainers. Testcontainers said: {e.Message}", e);
        }
    }

    /// <summary>The 2019 household exit line configured for Xinfeng, and the document named as its source.</summary>
    public const decimal CountyExitLine2019 = 7900m;
    public const string CountyExitLine2019Source = "新丰县扶贫开发领导小组〔2019〕1号（测试用配置）";

    public async Task InitializeAsync()
    {
        var settings = new Dictionary<string, string>(await DatabaseSettingsAsync())
        {
            ["Ledger:Jwt:SigningKey"] = SigningKey,
            ["Ledger:PublicUrl"] = PublicUrl,
            ["Ledger:Jwt:PreviousSigningKeys:0"] = PreviousSigningKey,
            ["Ledger:Crypto:Key"] = CryptoKey,
            ["Ledger:Audit:MacKey"] = Convert.ToBase64String(MacKey),
            ["Ledger:Public:PermitsPerMinute"] = PublicPermitsPerMinute.ToString(),
            ["Ledger:Audit:SigningKey"] = HeadSigningKey,
            ["Ledger:Audit:WitnessDirectory"] = WitnessDirectory,
            ["Ledger:Proxies:KnownProxies"] = Proxy,
            ["Ledger:Proxies:KnownNetworks"] = ProxyNetwork,
            // One heavy read of each group at a time: a second one is refused (tests run one request at a time otherwise).
            ["Ledger:Heavy:ConcurrentRequests"] = "1",
            // A county setting with its source: Xinfeng's 2019 exit line (the ledger's defaults stop at 2018).
            [$"Ledger:Counties:{Counties.Xinfeng}:Years:2019:HouseholdExitLine"] = CountyExitLine2019.ToString(),
            [$"Ledger:Counties:{Counties.Xinfeng}:Years:2019:HouseholdExitLineSource"] = CountyExitLine2019Source,
            ["Ledger:Evidence:MaxBytes"] = EvidenceMaxBytes.ToString(),
            // Reminders are swept when a test says so (never on a timer in the middle of another test).
            ["Ledger:Reminders:IntervalMinutes"] = "0",
            // Checkpoints are taken when a test says so.
            ["Ledger:Checkpoints:Daily"] = "false",
            ["Ledger:Webhook:Url"] = Webhook.Url.ToString(),
            // The Prometheus scrape endpoint (off by default; loopback callers only).
            ["Ledger:Metrics:Prometheus"] = "true",
        };
        foreach (var (key, value) in MoreSettings()) settings[key] = value;
        await HostBuilding.WaitAsync();
        var before = new Dictionary<string, string?>();
        try
        {
            var owners = await LeastPrivilegedAsync(settings);
            foreach (var key in settings.Keys.Concat(owners.Keys)) before[key] = Environment.GetEnvironmentVariable(EnvironmentName(key));
            foreach (var (key, value) in settings.Concat(owners)) Environment.SetEnvironmentVariable(EnvironmentName(key), value);
            // As `ledger migrate` does it: the schema by its owner, then the app role's grants.
            await LedgerMigration.MigrateAsync(TextWriter.Null);
            // The API itself never gets the owner's connection.
            foreach (var key in owners.Keys) Environment.SetEnvironmentVariable(EnvironmentName(key), before[key]);
            JasperFxEnvironment.AutoStartHost = true;
            Host = await AlbaHost.For<Program>(builder =>
            {
                foreach (var (key, value) in settings) builder.UseSetting(key, value);
                builder.ConfigureServices(services =>
                {
                    services.AddSingleton<TimeProvider>(Clock);
                    services.AddSingleton<Microsoft.Extensions.Logging.ILoggerProvider>(Logs);
                });
            });
        }
        finally
        {
            foreach (var (key, value) in before) Environment.SetEnvironmentVariable(EnvironmentName(key), value);
            HostBuilding.Release();
        }
    }

    private static string EnvironmentName(string key) => key.Replace(":", "__");

    /// <summary>
    /// Each database's superuser connection in the settings becomes the app role's, with the owner's
    /// beside it for the migration; the roles are made (or found) in each database first.
    /// </summary>
    private static async Task<Dictionary<string, string>> LeastPrivilegedAsync(Dictionary<string, string> settings)
    {
        var owners = new Dictionary<string, string>();
        foreach (var key in settings.Keys.Where(k => k == "ConnectionStrings:Ledger" || (k.StartsWith(CountyDatabases.Section + ":") && k.EndsWith(":ConnectionString"))).ToList())
        {
            var admin = settings[key];
            await using (var connection = new Npgsql.NpgsqlConnection(admin))
            {
                await connection.OpenAsync();
                await DatabaseRoles.PrepareAsync(connection, OwnerRole, AppRole, OwnerPassword, AppPassword);
            }
            var ownerKey = key == "ConnectionStrings:Ledger"
                ? $"ConnectionStrings:{LedgerMigration.OwnerConnectionName}"
                : key[..^"ConnectionString".Length] + LedgerMigration.OwnerConnectionKey;
            owners[ownerKey] = As(admin, OwnerRole, OwnerPassword);
            settings[key] = As(admin, AppRole, AppPassword);
        }
        return owners;
    }

    private static string As(string connectionString, string user, string password) =>
        new Npgsql.NpgsqlConnectionStringBuilder(connectionString) { Username = user, Password = password }.ConnectionString;

    /// <summary>The API's own (least-privileged) connection string to the county database: for an API started as a process of its own.</summary>
    public async Task<string> AppConnectionStringAsync()
    {
        var database = (await Store.DatabasesAsync()).Single();
        await using var app = (Npgsql.NpgsqlConnection)database.CreateConnection();
        return As(app.ConnectionString, AppRole, AppPassword);
    }

    /// <summary>A connection to the database as the schema's owner: what an operator with SQL has (tests that tamper use it).</summary>
    public static async Task<Npgsql.NpgsqlConnection> OwnerConnectionAsync(IMartenDatabase database)
    {
        await using var app = (Npgsql.NpgsqlConnection)database.CreateConnection();
        var connection = new Npgsql.NpgsqlConnection(As(app.ConnectionString, OwnerRole, OwnerPassword));
        await connection.OpenAsync();
        return connection;
    }

    /// <summary>
    /// What Marten's reset empties (every document, stream, event and the daemon's progress, the
    /// event sequence restarted), as the owner: the API's role may not truncate the events.
    /// </summary>
    private const string ResetSql = $$"""
        do $reset$
        declare tables text;
        begin
          select string_agg(format('%I.%I', schemaname, tablename), ', ') into tables from pg_tables
          where schemaname = '{{Ledger.Api.Setup.MartenSetup.Schema}}'
            and (tablename like 'mt\_doc\_%' or tablename in ('mt_streams', 'mt_events', 'mt_event_progression', 'mt_high_water_skips'));
          execute 'truncate ' || tables || ' cascade';
        end $reset$;
        alter sequence if exists {{Ledger.Api.Setup.MartenSetup.Schema}}.mt_events_sequence restart with 1;
        """;
    public async Task DisposeAsync()
    {
        await Host.DisposeAsync();
        Webhook.Dispose();
        foreach (var container in _containers) await container.DisposeAsync();
        if (Directory.Exists(WitnessDirectory)) Directory.Delete(WitnessDirectory, recursive: true);
    }

    /// <summary>Deletes every event and document of every county: each test starts empty.</summary>
    public async Task ResetAsync()
    {
        Clock.Reset();
        Webhook.Clear();
        Logs.Clear();
        // Pauses the async daemon, deletes every event and document, and resumes it from the start.
        var coordinator = Host.Services.GetService<Marten.Events.Daemon.Coordination.IProjectionCoordinator>();
        if (coordinator is not null) await coordinator.PauseAsync();
        await ExecuteAsync(ResetSql);
        if (coordinator is not null) await coordinator.ResumeAsync();
        await ExecuteAsync($"truncate {Ledger.Api.Audit.RefusedWrites.Table}, {Ledger.Api.Audit.RefusedWrites.AnonymousTable}, {Ledger.Api.Writes.Idempotency.Table}");
        await ForgetTheChainAsync();
    }

    /// <summary>
    /// Empties the hash chains, their heads and the witness of every database, under the chain's lock
    /// (so the chain writer never signs a head of the old chain in between), then lets the writer
    /// look again: the chain of an emptied ledger starts afresh and contradicts no head.
    /// </summary>
    private async Task ForgetTheChainAsync()
    {
        var heads = Host.Services.GetRequiredService<Ledger.Api.Audit.TreeHeads>();
        foreach (var database in await Store.DatabasesAsync())
        {
            await using var connection = await OwnerConnectionAsync(database);
            await using var tx = await connection.BeginTransactionAsync();
            await using (var command = new Npgsql.NpgsqlCommand(
                             $"select pg_advisory_xact_lock({Ledger.Api.Audit.HashChain.LockKey}); truncate {Ledger.Api.Audit.HashChain.Table}, {Ledger.Api.Audit.TreeHeads.Table}, " +
                             $"ledger.evidence_files, ledger.evidence_chunks, ledger.evidence_uploads, {Ledger.Api.Accountability.AccountabilityCheckpoints.Table}",
                             connection, tx))
                await command.ExecuteNonQueryAsync();
            if (heads.WitnessOf(database.NameOf()) is { } witness && Directory.Exists(witness)) Directory.Delete(witness, recursive: true);
            await tx.CommitAsync();
        }
        await Host.Services.GetRequiredService<Ledger.Api.Audit.HashChain>().CatchUpAsync(CancellationToken.None);
    }

    public string Token(string role, string user = "测试用户", string? scope = null, string county = Counties.Xinfeng) =>
        Tokens.Issue(user, role, scope, county);

    /// <summary>
    /// What an operator does to reorder history: swaps the whole rows of two events but their sequence
    /// numbers (the unique stream/version key and event id are moved aside first), as the owner.
    /// </summary>
    public Task<int> SwapEventsAsync(long a, long b)
    {
        const string columns = "id, data, type, stream_id, version, timestamp, tenant_id, headers, user_name, mt_dotnet_type, correlation_id, causation_id, is_archived";
        return ExecuteAsync($"""
            drop table if exists pg_temp.swap;
            create temp table swap on commit drop as select seq_id, {columns} from ledger.mt_events where seq_id in ({a}, {b});
            update ledger.mt_events set version = version + 1000000, id = gen_random_uuid() where seq_id in ({a}, {b});
            update ledger.mt_events e set ({columns}) =
                (select {columns} from swap s where s.seq_id = case when e.seq_id = {a} then {b} else {a} end)
                where e.seq_id in ({a}, {b});
            """);
    }

    /// <summary>Runs SQL directly against every database of the ledger, as the schema's owner (tests that tamper with the ledger use it).</summary>
    public async Task<int> ExecuteAsync(string sql)
    {
        var affected = 0;
        foreach (var database in await Store.DatabasesAsync())
        {
            await using var connection = await OwnerConnectionAsync(database);
            await using var command = connection.CreateCommand();
            command.CommandText = sql;
            affected += await command.ExecuteNonQueryAsync();
        }
        return affected;
    }

    /// <summary>Waits until the async daemon has caught up with every event (no sleeping).</summary>
    public Task SettledAsync() => Marten.Events.TestingExtensions.WaitForNonStaleProjectionDataAsync(Host, TimeSpan.FromSeconds(60));

    /// <summary>
    /// Events in the ledger, of every county: what a refused request must leave unchanged. Marten's
    /// own tombstones (written to fill the sequence gap a failed transaction leaves) are not records.
    /// </summary>
    public async Task<long> EventCountAsync()
    {
        long count = 0;
        foreach (var database in await Store.DatabasesAsync()) count += await EventCountAsync(database);
        return count;
    }

    /// <summary>Events (not tombstones) stored in one database, optionally of one county only.</summary>
    public static async Task<long> EventCountAsync(IMartenDatabase database, string? county = null)
    {
        await using var connection = await database.OpenConnectionAsync(CancellationToken.None);
        await using var command = connection.CreateCommand();
        command.CommandText = $"select count(*) from {Ledger.Api.Setup.MartenSetup.Schema}.mt_events where type <> 'tombstone'"
                              + (county is null ? "" : " and tenant_id = $1");
        if (county is not null) command.Parameters.Add(new Npgsql.NpgsqlParameter { Value = county });
        return (long)(await command.ExecuteScalarAsync())!;
    }
}

[CollectionDefinition(Name)]
public sealed class LedgerCollection : ICollectionFixture<LedgerFixture>
{
    public const string Name = "ledger";
}

/// <summary>Base for tests through the API: shares a host, starts every test from an empty ledger.</summary>
public abstract class LedgerTest(LedgerFixture fixture) : IAsyncLifetime
{
    protected LedgerFixture Fixture { get; } = fixture;
    protected IAlbaHost Host => Fixture.Host;
    protected Scenarios Given => new(Fixture);

    public Task InitializeAsync() => Fixture.ResetAsync();
    public Task DisposeAsync() => Task.CompletedTask;
}

/// <summary>Base for integration tests of a county deployment (one database).</summary>
[Collection(LedgerCollection.Name)]
public abstract class IntegrationTest(LedgerFixture fixture) : LedgerTest(fixture);
