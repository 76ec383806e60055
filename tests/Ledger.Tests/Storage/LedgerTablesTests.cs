using Ledger.Api.Storage;
using Ledger.Tests.Fixtures;
using Marten;
using Npgsql;
using Weasel.Core;

namespace Ledger.Tests.Storage;

/// <summary>
/// The ledger's own tables, the chain's append-only function and its trigger are made by Marten at
/// start in every database of the ledger, as <see cref="LedgerTables"/> declares them.
/// </summary>
public static class LedgerTablesChecks
{
    public static async Task EveryDatabaseHasTheLedgerTablesAsync(LedgerFixture fixture, int databases)
    {
        var all = await fixture.Store.DatabasesAsync();
        Assert.Equal(databases, all.Count);
        foreach (var database in all)
        {
            var name = database.NameOf();
            await using var connection = await LedgerFixture.OwnerConnectionAsync(database);

            // Each declared object is in the database as declared: nothing to create or to patch.
            foreach (var declared in LedgerTables.All())
            {
                var delta = await ((SchemaObjectBase)declared).FindDeltaAsync(connection);
                Assert.True(delta.Difference == SchemaPatchDifference.None, $"{name}: {declared.Identifier} is {delta.Difference}");
            }
            // And the whole configured schema, Marten's and these, as db-assert checks it.
            await database.AssertDatabaseMatchesConfigurationAsync();

            // Rows written as the ledger writes them (here by the owner, whom only the trigger stops), in a transaction rolled back at the end.
            await using var tx = await connection.BeginTransactionAsync();
            await ExecuteAsync(connection, tx, $"""
                insert into {Api.Audit.HashChain.Table} (seq_id, tenant_id, leaf_index, content_hash, body_hash, chain_hash)
                    values (9000000001, '440233', 9000000001, repeat('a', 64), repeat('b', 64), repeat('c', 64))
                """);

            // One leaf per index in a county's log.
            await tx.SaveAsync("leaf");
            var twice = await Assert.ThrowsAsync<PostgresException>(() => ExecuteAsync(connection, tx, $"""
                insert into {Api.Audit.HashChain.Table} (seq_id, tenant_id, leaf_index, content_hash, body_hash, chain_hash)
                    values (9000000002, '440233', 9000000001, repeat('a', 64), repeat('b', 64), repeat('c', 64))
                """));
            Assert.Equal(("23505", LedgerTables.ChainLeafIndexName), (twice.SqlState, twice.ConstraintName));
            await tx.RollbackAsync("leaf");

            // The trigger refuses every UPDATE and DELETE of a chain entry, naming the statement.
            foreach (var (statement, sql) in new[]
                     {
                         ("UPDATE", $"update {Api.Audit.HashChain.Table} set chain_hash = repeat('0', 64) where seq_id = 9000000001"),
                         ("DELETE", $"delete from {Api.Audit.HashChain.Table} where seq_id = 9000000001"),
                     })
            {
                await tx.SaveAsync("before");
                var refused = await Assert.ThrowsAsync<PostgresException>(() => ExecuteAsync(connection, tx, sql));
                Assert.Equal($"the ledger chain is append-only: {statement} refused", refused.MessageText);
                await tx.RollbackAsync("before");
            }
            await using (var entry = new NpgsqlCommand($"select chain_hash from {Api.Audit.HashChain.Table} where seq_id = 9000000001", connection, tx))
                Assert.Equal(new string('c', 64), await entry.ExecuteScalarAsync());

            // An idempotency key is unique per county, user and key.
            const string claim = $"insert into {Api.Writes.Idempotency.Table} (county, user_name, key, request_hash) values ('440233', 'u', 'k', repeat('d', 64))";
            await ExecuteAsync(connection, tx, claim);
            await tx.SaveAsync("claimed");
            var duplicate = await Assert.ThrowsAsync<PostgresException>(() => ExecuteAsync(connection, tx, claim));
            Assert.Equal(("23505", "idempotency_pkey"), (duplicate.SqlState, duplicate.ConstraintName));
            await tx.RollbackAsync("claimed");

            // A refused write is numbered by the table.
            await using (var refusal = new NpgsqlCommand(
                             $"insert into {Api.Audit.RefusedWrites.Table} (method, path, status) values ('POST', '/x', 403) returning id, at is not null", connection, tx))
            await using (var reader = await refusal.ExecuteReaderAsync())
            {
                Assert.True(await reader.ReadAsync());
                Assert.True(reader.GetInt64(0) > 0, name);
                Assert.True(reader.GetBoolean(1), name);
            }

            await tx.RollbackAsync();
        }
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, NpgsqlTransaction tx, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection, tx);
        await command.ExecuteNonQueryAsync();
    }
}

public sealed class LedgerTablesTests(LedgerFixture fixture) : IntegrationTest(fixture)
{
    [Fact]
    public Task The_ledger_tables_and_the_append_only_trigger_are_made_at_start() =>
        LedgerTablesChecks.EveryDatabaseHasTheLedgerTablesAsync(Fixture, databases: 1);
}

public sealed class ProvinceLedgerTablesTests(ProvinceFixture fixture) : ProvinceTest(fixture)
{
    [Fact]
    public Task Every_database_of_a_province_gets_the_ledger_tables_and_the_append_only_trigger_at_start() =>
        LedgerTablesChecks.EveryDatabaseHasTheLedgerTablesAsync(Fixture, databases: 2);
}
