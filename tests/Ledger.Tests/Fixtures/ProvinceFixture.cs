using Npgsql;

namespace Ledger.Tests.Fixtures;

/// <summary>
/// A province deployment: two PostgreSQL servers stand in for a province's database servers.
/// 新丰 (440233, the sample registry's county) lives in the second server's database, 翁源 (440229)
/// in the first, so every Xinfeng scenario of the suite also runs against a database that is not
/// the home database. ./test.sh starts the second cluster and sets <c>LEDGER_TEST_DB_2</c>.
/// The async daemon runs hot/cold, holding one lock per database.
/// </summary>
public sealed class ProvinceFixture : LedgerFixture
{
    public const string Wengyuan = "440229";
    public const string North = "north", South = "south";

    protected override async Task<Dictionary<string, string>> DatabaseSettingsAsync()
    {
        // A database of its own on the first server, so the county suite's database is untouched.
        var north = await CreatedDatabaseAsync(await DatabaseAsync("LEDGER_TEST_DB"), "ledger_province_north");
        var south = await CreatedDatabaseAsync(await DatabaseAsync("LEDGER_TEST_DB_2"), "ledger_province_south");
        return new()
        {
            ["ConnectionStrings:Ledger"] = north,
            [$"Ledger:Databases:{North}:ConnectionString"] = north,
            [$"Ledger:Databases:{North}:Counties"] = Wengyuan,
            [$"Ledger:Databases:{South}:ConnectionString"] = south,
            [$"Ledger:Databases:{South}:Counties"] = Domain.Common.Counties.Xinfeng,
            ["Ledger:Daemon"] = "hot-cold",
        };
    }

    /// <summary>The province's host runs as a deployment does by default: without the Prometheus scrape endpoint.</summary>
    protected override IReadOnlyDictionary<string, string> MoreSettings() => new Dictionary<string, string>
    {
        ["Ledger:Metrics:Prometheus"] = "false",
    };

    /// <summary>The named database on the same server (made if missing).</summary>
    private static async Task<string> CreatedDatabaseAsync(string serverConnectionString, string name)
    {
        await using (var connection = new NpgsqlConnection(serverConnectionString))
        {
            await connection.OpenAsync();
            await using var exists = new NpgsqlCommand("select 1 from pg_database where datname = $1", connection) { Parameters = { new() { Value = name } } };
            if (await exists.ExecuteScalarAsync() is null)
            {
                await using var create = new NpgsqlCommand($"create database {name}", connection);
                await create.ExecuteNonQueryAsync();
            }
        }
        return new NpgsqlConnectionStringBuilder(serverConnectionString) { Database = name }.ConnectionString;
    }
}

[CollectionDefinition(Name)]
public sealed class ProvinceCollection : ICollectionFixture<ProvinceFixture>
{
    public const string Name = "province";
}

/// <summary>Base for tests of a province deployment (two databases).</summary>
[Collection(ProvinceCollection.Name)]
public abstract class ProvinceTest(ProvinceFixture fixture) : LedgerTest(fixture)
{
    protected new ProvinceFixture Fixture { get; } = fixture;
}
