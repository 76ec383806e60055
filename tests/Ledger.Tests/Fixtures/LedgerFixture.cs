using Alba;
using JasperFx.CommandLine;
using Ledger.Api.Auth;
using Ledger.Domain.Common;
using Marten;
using Testcontainers.PostgreSql;

namespace Ledger.Tests.Fixtures;

/// <summary>
/// One API host for the whole test run, on a real PostgreSQL: <c>LEDGER_TEST_DB</c> when set
/// (./test.sh starts a throwaway cluster and sets it), else a Testcontainers PostgreSQL.
/// </summary>
public sealed class LedgerFixture : IAsyncLifetime
{
    public const string SigningKey = "test-signing-key-that-is-long-enough-for-hs256!";
    public const int PublicPermitsPerMinute = 200;
    public static readonly string CryptoKey = Convert.ToBase64String(Enumerable.Range(1, 32).Select(i => (byte)i).ToArray());
    private PostgreSqlContainer? _container;

    public IAlbaHost Host { get; private set; } = null!;
    public TestClock Clock { get; } = new();
    public IDocumentStore Store => Host.Services.GetRequiredService<IDocumentStore>();
    /// <summary>Tokens are issued on real time: the token check does not follow the test clock.</summary>
    public TokenIssuer Tokens => new(Host.Services.GetRequiredService<JwtSettings>(), TimeProvider.System);

    public async Task InitializeAsync()
    {
        var connectionString = Environment.GetEnvironmentVariable("LEDGER_TEST_DB");
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            try
            {
                _container = new PostgreSqlBuilder("postgres:16-alpine").Build();
                await _container.StartAsync();
                connectionString = _container.GetConnectionString();
            }
            catch (Exception e)
            {
                throw new InvalidOperationException(
                    "The tests need PostgreSQL. Run ./test.sh (it starts a throwaway local cluster), or set " +
                    "LEDGER_TEST_DB to a connection string, or make a Docker engine available for Testcontainers. " +
                    $"Testcontainers said: {e.Message}", e);
            }
        }

        Environment.SetEnvironmentVariable("ConnectionStrings__Ledger", connectionString);
        Environment.SetEnvironmentVariable("Ledger__Jwt__SigningKey", SigningKey);
        Environment.SetEnvironmentVariable("Ledger__Crypto__Key", CryptoKey);
        JasperFxEnvironment.AutoStartHost = true;
        Host = await AlbaHost.For<Program>(builder =>
        {
            builder.UseSetting("ConnectionStrings:Ledger", connectionString);
            builder.UseSetting("Ledger:Jwt:SigningKey", SigningKey);
            builder.UseSetting("Ledger:Crypto:Key", CryptoKey);
            builder.UseSetting("Ledger:Public:PermitsPerMinute", PublicPermitsPerMinute.ToString());
            builder.ConfigureServices(services => services.AddSingleton<TimeProvider>(Clock));
        });
    }

    public async Task DisposeAsync()
    {
        await Host.DisposeAsync();
        if (_container is not null) await _container.DisposeAsync();
    }

    /// <summary>Deletes every event and document of every county: each test starts empty.</summary>
    public async Task ResetAsync()
    {
        Clock.Reset();
        // Pauses the async daemon, deletes every event and document, and resumes it from the start.
        await Marten.HostExtensions.ResetAllMartenDataAsync(Host);
        await ExecuteAsync($"truncate {Ledger.Api.Audit.HashChain.Table}; truncate {Ledger.Api.Audit.RefusedWrites.Table}");
    }

    public string Token(string role, string user = "测试用户", string? scope = null, string county = Counties.Xinfeng) =>
        Tokens.Issue(user, role, scope, county);

    /// <summary>Runs SQL directly against the test database (tests that tamper with the ledger use it).</summary>
    public async Task<int> ExecuteAsync(string sql)
    {
        await using var connection = Store.Storage.Database.CreateConnection();
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return await command.ExecuteNonQueryAsync();
    }

    /// <summary>Waits until the async daemon has caught up with every event (no sleeping).</summary>
    public Task SettledAsync() => Marten.Events.TestingExtensions.WaitForNonStaleProjectionDataAsync(Host, TimeSpan.FromSeconds(60));

    /// <summary>
    /// Events in the ledger, of every county: what a refused request must leave unchanged. Marten's
    /// own tombstones (written to fill the sequence gap a failed transaction leaves) are not records.
    /// </summary>
    public async Task<long> EventCountAsync()
    {
        await using var connection = Store.Storage.Database.CreateConnection();
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = $"select count(*) from {Ledger.Api.Setup.MartenSetup.Schema}.mt_events where type <> 'tombstone'";
        return (long)(await command.ExecuteScalarAsync())!;
    }
}

[CollectionDefinition(Name)]
public sealed class LedgerCollection : ICollectionFixture<LedgerFixture>
{
    public const string Name = "ledger";
}

/// <summary>Base for integration tests: shares the host, starts every test from an empty ledger.</summary>
[Collection(LedgerCollection.Name)]
public abstract class IntegrationTest(LedgerFixture fixture) : IAsyncLifetime
{
    protected LedgerFixture Fixture { get; } = fixture;
    protected IAlbaHost Host => Fixture.Host;
    protected Scenarios Given => new(Fixture);

    public Task InitializeAsync() => Fixture.ResetAsync();
    public Task DisposeAsync() => Task.CompletedTask;
}
