using JasperFx.Resources;
using Ledger.Api.Storage;
using Npgsql;

namespace Ledger.Api.Setup;

/// <summary>
/// <c>ledger migrate</c>: the schema is made or patched by its owner, not by the API. Run with the
/// owner's connection in <c>ConnectionStrings:LedgerOwner</c> (a province: also
/// <c>Ledger:Databases:NAME:OwnerConnectionString</c> for each database) next to the API's own
/// configuration; it applies Marten's and Wolverine's schema and the ledger's tables as the owner
/// in every database, then grants the API's role (the user of <c>ConnectionStrings:Ledger</c>, of each
/// database's <c>ConnectionString</c>) what it needs and no more (<see cref="DatabaseRoles"/>). The API
/// never holds the owner's password: whoever takes over the API process cannot alter history.
/// </summary>
public static class LedgerMigration
{
    public const string OwnerConnectionName = "LedgerOwner";
    public const string OwnerConnectionKey = "OwnerConnectionString";

    /// <summary>One database: how the owner connects, and the role the API connects as.</summary>
    public sealed record Target(string Name, string OwnerConnectionString, string AppRole);

    /// <summary>Every database of the configured ledger, with its owner's connection and the API's role.</summary>
    public static IReadOnlyList<Target> TargetsOf(IConfiguration configuration)
    {
        var owner = configuration.GetConnectionString(OwnerConnectionName)
            ?? throw new InvalidOperationException(
                $"ledger migrate needs the schema owner's connection: set ConnectionStrings__{OwnerConnectionName} (README: least privilege).");
        var targets = new List<Target> { new("home", owner, DatabaseRoles.UserOf(LedgerHost.ConnectionString(configuration))) };
        foreach (var database in CountyDatabases.From(configuration))
        {
            var ownerOfDatabase = configuration[$"{CountyDatabases.Section}:{database.Name}:{OwnerConnectionKey}"]
                ?? throw new InvalidOperationException($"{CountyDatabases.Section}:{database.Name}:{OwnerConnectionKey} is missing (the owner's connection to that database)");
            targets.Add(new(database.Name, ownerOfDatabase, DatabaseRoles.UserOf(database.ConnectionString)));
        }
        foreach (var target in targets)
            if (DatabaseRoles.UserOf(target.OwnerConnectionString) == target.AppRole)
                throw new InvalidOperationException(
                    $"{target.Name}: the API connects as the schema's owner ({target.AppRole}); give it its own role (README: least privilege).");
        // The home database is usually also one of a province's databases: migrate and grant it once.
        return targets.GroupBy(t => Place(t.OwnerConnectionString)).Select(g => g.Last()).ToList();
    }

    /// <summary>Applies the schema as the owner in every database, then the app role's grants; prints what it did.</summary>
    public static async Task MigrateAsync(TextWriter output, CancellationToken ct = default)
    {
        var builder = WebApplication.CreateBuilder();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        var targets = TargetsOf(builder.Configuration);

        // The same host as the API's, connected as the owner everywhere.
        var asOwner = new Dictionary<string, string?>
        {
            ["ConnectionStrings:Ledger"] = builder.Configuration.GetConnectionString(OwnerConnectionName),
        };
        foreach (var database in builder.Configuration.GetSection(CountyDatabases.Section).GetChildren())
            asOwner[$"{CountyDatabases.Section}:{database.Key}:ConnectionString"] = database[OwnerConnectionKey];
        builder.Configuration.AddInMemoryCollection(asOwner);
        builder.AddLedger();
        await using (var app = builder.Build())
        {
            // Marten's schema with the ledger's tables, and Wolverine's envelope storage, in every database.
            await app.SetupResources(ct);
            // A province's Wolverine keeps envelope tables in every county database too: it finds those
            // databases when it starts (only Wolverine starts here: no web server, chain writer or daemon).
            var wolverine = (IHostedService)app.Services.GetRequiredService<Wolverine.Runtime.IWolverineRuntime>();
            await wolverine.StartAsync(ct);
            await app.Services.GetRequiredService<Wolverine.Runtime.IWolverineRuntime>().Storage.Admin.MigrateAsync();
            await wolverine.StopAsync(ct);
        }

        foreach (var target in targets)
        {
            await using var connection = new NpgsqlConnection(target.OwnerConnectionString);
            await connection.OpenAsync(ct);
            await DatabaseRoles.GrantAsync(connection, target.AppRole, ct);
            output.WriteLine($"{target.Name}: schema {MartenSetup.Schema} migrated as {DatabaseRoles.UserOf(target.OwnerConnectionString)}; " +
                             $"{target.AppRole} may read and insert {string.Join(", ", LedgerTables.History)} and nothing more of them");
        }
    }

    private static string Place(string connectionString)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        return $"{builder.Host}:{builder.Port}/{builder.Database}";
    }
}
