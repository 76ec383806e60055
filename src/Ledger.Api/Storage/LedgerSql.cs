using JasperFx.MultiTenancy;
using Marten;
using Marten.Storage;
using Npgsql;

namespace Ledger.Api.Storage;

/// <summary>
/// Connections for the ledger's own tables beside Marten's (chain, idempotency, refused writes), in
/// the database that holds a county's ledger. A county deployment has one database; a province has
/// several (see <see cref="Setup.CountyDatabases"/>), and each keeps these tables for its counties.
/// </summary>
public static class LedgerSql
{
    public static async Task<NpgsqlConnection> OpenConnectionAsync(this IMartenDatabase database, CancellationToken ct)
    {
        var connection = (NpgsqlConnection)database.CreateConnection();
        await connection.OpenAsync(ct);
        return connection;
    }

    /// <summary>
    /// The database of a county's ledger; for a request without a county, or with one this ledger
    /// does not hold, the home database (the first by name), where county-less records are kept.
    /// </summary>
    public static async Task<IMartenDatabase> DatabaseOfAsync(this IDocumentStore store, string? county)
    {
        if (!string.IsNullOrEmpty(county))
        {
            try
            {
                return await store.Storage.FindOrCreateDatabase(county);
            }
            catch (UnknownTenantIdException)
            {
            }
        }
        return (await store.DatabasesAsync())[0];
    }

    /// <summary>Runs a statement (the ledger's own tables, made if missing) in every database of this ledger.</summary>
    public static async Task ExecuteInEveryDatabaseAsync(this IDocumentStore store, string sql, CancellationToken ct)
    {
        foreach (var database in await store.DatabasesAsync())
        {
            await using var connection = await database.OpenConnectionAsync(ct);
            await using var command = new NpgsqlCommand(sql, connection);
            await command.ExecuteNonQueryAsync(ct);
        }
    }

    /// <summary>Every database of this ledger, by name (<c>Ledger:Databases:NAME</c>): the home database first.</summary>
    public static async Task<IReadOnlyList<IMartenDatabase>> DatabasesAsync(this IDocumentStore store) =>
        (await store.Storage.AllDatabases()).OrderBy(NameOf, StringComparer.Ordinal).ToList();

    /// <summary>The name a database was configured with (Marten's identifier; its <c>Id</c> is server and database name).</summary>
#pragma warning disable CS0618 // Identifier is the name we registered the database under; Id names the server instead.
    public static string NameOf(this IMartenDatabase database) => database.Identifier;
#pragma warning restore CS0618
}
