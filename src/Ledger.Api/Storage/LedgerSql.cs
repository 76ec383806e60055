using JasperFx.MultiTenancy;
using Marten;
using Marten.Storage;
using Npgsql;

namespace Ledger.Api.Storage;

/// <summary>
/// Connections for the ledger's own tables beside Marten's (chain, idempotency, refused writes), in
/// the database that holds a county's ledger. A county deployment has one database; a province has
/// several (see <see cref="Setup.CountyDatabases"/>), and each keeps these tables for its counties
/// (declared in <see cref="LedgerTables"/>).
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

    /// <summary>Every database of this ledger, by name (<c>Ledger:Databases:NAME</c>): the home database first.</summary>
    public static async Task<IReadOnlyList<IMartenDatabase>> DatabasesAsync(this IDocumentStore store) =>
        (await store.Storage.AllDatabases()).OrderBy(NameOf, StringComparer.Ordinal).ToList();

    /// <summary>The name a database was configured with (Marten's identifier; its <c>Id</c> is server and database name).</summary>
#pragma warning disable CS0618 // Identifier is the name we registered the database under; Id names the server instead.
    public static string NameOf(this IMartenDatabase database) => database.Identifier;
#pragma warning restore CS0618
}
