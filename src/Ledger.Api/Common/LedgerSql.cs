using Marten;
using Npgsql;

namespace Ledger.Api.Common;

/// <summary>A connection to the ledger's database, for the ledger's own tables beside Marten's (chain, idempotency, refused writes).</summary>
public static class LedgerSql
{
    public static async Task<NpgsqlConnection> OpenConnectionAsync(this IDocumentStore store, CancellationToken ct)
    {
        var connection = (NpgsqlConnection)store.Storage.Database.CreateConnection();
        await connection.OpenAsync(ct);
        return connection;
    }
}
