using System.Text.Json;
using Ledger.Api.Setup;
using Ledger.Api.Storage;
using Ledger.Domain.Access;
using Ledger.Tests.Fixtures;
using Marten.Storage;
using Microsoft.Extensions.Configuration;
using Npgsql;

namespace Ledger.Tests.Storage;

/// <summary>
/// The API connects as a role that may read and insert history but not alter it. The whole suite
/// runs the API as that role (<see cref="LedgerFixture"/>); here a real flow goes through the API,
/// then the API's own connection attacks the database directly, as someone who took over the API
/// process would: each attack is refused by PostgreSQL and nothing changes.
/// </summary>
public static class LeastPrivilegeChecks
{
    /// <summary>Who the API's connections log in as, in every database.</summary>
    public static async Task TheApiIsNotTheOwnerNorASuperuserAsync(LedgerFixture fixture, int databases)
    {
        var all = await fixture.Store.DatabasesAsync();
        Assert.Equal(databases, all.Count);
        foreach (var database in all)
        {
            await using var connection = await database.OpenConnectionAsync(CancellationToken.None);
            await using var command = new NpgsqlCommand($"""
                select current_user, r.rolsuper, r.rolcreaterole, r.rolcreatedb, r.rolbypassrls,
                       pg_get_userbyid(n.nspowner),
                       has_schema_privilege(current_user, n.oid, 'CREATE'),
                       pg_has_role(current_user, n.nspowner, 'MEMBER')
                from pg_roles r, pg_namespace n where r.rolname = current_user and n.nspname = '{MartenSetup.Schema}'
                """, connection);
            await using (var reader = await command.ExecuteReaderAsync())
            {
                Assert.True(await reader.ReadAsync());
                Assert.Equal(LedgerFixture.AppRole, reader.GetString(0));
                Assert.False(reader.GetBoolean(1), "superuser");
                Assert.False(reader.GetBoolean(2), "createrole");
                Assert.False(reader.GetBoolean(3), "createdb");
                Assert.False(reader.GetBoolean(4), "bypassrls");
                Assert.Equal(LedgerFixture.OwnerRole, reader.GetString(5));
                Assert.False(reader.GetBoolean(6), "may create in the schema");
                Assert.False(reader.GetBoolean(7), "member of the owner");
            }

            // Every history table: owned by the owner; the app role reads and inserts, nothing else.
            foreach (var table in LedgerTables.History)
            {
                await using var privileges = new NpgsqlCommand("""
                    select pg_get_userbyid(c.relowner),
                           array(select p from unnest(array['SELECT','INSERT','UPDATE','DELETE','TRUNCATE','REFERENCES','TRIGGER']) p
                                 where has_table_privilege(current_user, c.oid, p))
                    from pg_class c where c.oid = $1::regclass
                    """, connection) { Parameters = { new() { Value = $"{MartenSetup.Schema}.{table}" } } };
                await using var reader = await privileges.ExecuteReaderAsync();
                Assert.True(await reader.ReadAsync(), table);
                Assert.Equal(LedgerFixture.OwnerRole, reader.GetString(0));
                Assert.Equal(["SELECT", "INSERT"], reader.GetFieldValue<string[]>(1));
            }
            // And the owner's own check finds nothing to complain of.
            await using var owner = await LedgerFixture.OwnerConnectionAsync(database);
            Assert.Empty(await DatabaseRoles.ProblemsAsync(owner, LedgerFixture.AppRole));
        }
    }

    /// <summary>
    /// The attacks, each as the API's role in a database holding events, chain entries and a head:
    /// every one refused with the SQLSTATE PostgreSQL gives, and the history unchanged afterwards.
    /// </summary>
    public static async Task EveryAttackOnHistoryIsRefusedAsync(IMartenDatabase database)
    {
        await using var connection = await database.OpenConnectionAsync(CancellationToken.None);
        var schema = MartenSetup.Schema;
        var before = await FingerprintAsync(connection);
        Assert.True(before.Events > 0 && before.Chain > 0 && before.Heads > 0, $"nothing to attack: {before}");

        var attacks = new (string Sql, string SqlState)[]
        {
            ($"update {schema}.mt_events set data = jsonb_set(data, '{{Name}}', '\"篡改\"')", PostgresErrorCodes.InsufficientPrivilege),
            ($"update {schema}.mt_events set is_archived = true", PostgresErrorCodes.InsufficientPrivilege),
            ($"delete from {schema}.mt_events where seq_id = (select max(seq_id) from {schema}.mt_events)", PostgresErrorCodes.InsufficientPrivilege),
            ($"truncate {schema}.mt_events cascade", PostgresErrorCodes.InsufficientPrivilege),
            ($"truncate {schema}.ledger_chain", PostgresErrorCodes.InsufficientPrivilege),
            ($"truncate {schema}.ledger_heads", PostgresErrorCodes.InsufficientPrivilege),
            ($"update {schema}.ledger_chain set chain_hash = repeat('0', 64)", PostgresErrorCodes.InsufficientPrivilege),
            ($"delete from {schema}.ledger_chain", PostgresErrorCodes.InsufficientPrivilege),
            ($"update {schema}.ledger_heads set merkle_root = repeat('0', 64)", PostgresErrorCodes.InsufficientPrivilege),
            ($"delete from {schema}.ledger_heads", PostgresErrorCodes.InsufficientPrivilege),
            ($"update {schema}.{LedgerTables.CheckpointsName} set content = '{{}}'", PostgresErrorCodes.InsufficientPrivilege),
            ($"delete from {schema}.{LedgerTables.CheckpointsName}", PostgresErrorCodes.InsufficientPrivilege),
            ($"truncate {schema}.{LedgerTables.CheckpointsName}", PostgresErrorCodes.InsufficientPrivilege),
            ($"alter table {schema}.ledger_chain disable trigger {LedgerTables.AppendOnlyTriggerName}", PostgresErrorCodes.InsufficientPrivilege),
            ($"alter table {schema}.ledger_heads disable trigger all", PostgresErrorCodes.InsufficientPrivilege),
            ($"drop trigger {LedgerTables.AppendOnlyTriggerName} on {schema}.ledger_chain", PostgresErrorCodes.InsufficientPrivilege),
            ($"drop table {schema}.ledger_chain", PostgresErrorCodes.InsufficientPrivilege),
            ($"drop table {schema}.mt_events cascade", PostgresErrorCodes.InsufficientPrivilege),
            ($"alter table {schema}.mt_events owner to {LedgerFixture.AppRole}", PostgresErrorCodes.InsufficientPrivilege),
            ($"set role {LedgerFixture.OwnerRole}", PostgresErrorCodes.InsufficientPrivilege),
            ($"set session authorization {LedgerFixture.OwnerRole}", PostgresErrorCodes.InsufficientPrivilege),
            ($"create function {schema}.ledger_chain_is_append_only() returns trigger language plpgsql as $$ begin return new; end $$",
                PostgresErrorCodes.InsufficientPrivilege),
            ($"create or replace function {schema}.mt_quick_append_events() returns int language sql as 'select 1'", PostgresErrorCodes.InsufficientPrivilege),
            ($"create table {schema}.mt_events_copy (like {schema}.mt_events)", PostgresErrorCodes.InsufficientPrivilege),
            ($"select setval('{schema}.mt_events_sequence', 1)", PostgresErrorCodes.InsufficientPrivilege),
            // A stream that has events cannot be removed from under them (no cascade reaches mt_events).
            ($"delete from {schema}.mt_streams", PostgresErrorCodes.ForeignKeyViolation),
        };
        foreach (var (sql, sqlState) in attacks)
        {
            await using var tx = await connection.BeginTransactionAsync();
            await using var command = new NpgsqlCommand(sql, connection, tx);
            PostgresException? refused = null;
            try
            {
                await command.ExecuteNonQueryAsync();
            }
            catch (PostgresException e)
            {
                refused = e;
            }
            Assert.True(sqlState == refused?.SqlState, $"{sql}: expected {sqlState}, got {refused?.SqlState ?? "success"} {refused?.MessageText}");
            await tx.RollbackAsync();
        }

        // Granting itself more: PostgreSQL only warns, and grants nothing.
        await using (var grant = new NpgsqlCommand(
                         $"grant update, delete, truncate on {schema}.mt_events, {schema}.ledger_chain to {LedgerFixture.AppRole}; " +
                         $"select has_table_privilege('{schema}.mt_events', 'UPDATE, DELETE, TRUNCATE') or has_table_privilege('{schema}.ledger_chain', 'UPDATE, DELETE, TRUNCATE')",
                         connection))
            Assert.Equal(false, await grant.ExecuteScalarAsync());

        // Appending stays allowed (that is the API's job): a chain entry inserted and rolled back.
        await using (var tx = await connection.BeginTransactionAsync())
        {
            await using var insert = new NpgsqlCommand(
                $"insert into {schema}.ledger_chain (seq_id, tenant_id, leaf_index, content_hash, body_hash, chain_hash) values (9000000001, '999999', 0, repeat('a', 64), repeat('b', 64), repeat('c', 64))",
                connection, tx);
            Assert.Equal(1, await insert.ExecuteNonQueryAsync());
            await tx.RollbackAsync();
        }

        Assert.Equal(before, await FingerprintAsync(connection));
    }

    /// <summary>What the history holds: counts and an md5 of every row of each history table.</summary>
    public sealed record Fingerprint(long Events, long Chain, long Heads, string Digest);

    private static async Task<Fingerprint> FingerprintAsync(NpgsqlConnection connection)
    {
        var schema = MartenSetup.Schema;
        await using var command = new NpgsqlCommand($"""
            select (select count(*) from {schema}.mt_events), (select count(*) from {schema}.ledger_chain), (select count(*) from {schema}.ledger_heads),
                   md5((select coalesce(string_agg(e::text, '|' order by seq_id), '') from {schema}.mt_events e)
                    || (select coalesce(string_agg(c::text, '|' order by seq_id), '') from {schema}.ledger_chain c)
                    || (select coalesce(string_agg(h::text, '|' order by tree_size), '') from {schema}.ledger_heads h))
            """, connection);
        await using var reader = await command.ExecuteReaderAsync();
        await reader.ReadAsync();
        return new Fingerprint(reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2), reader.GetString(3));
    }
}

public sealed class LeastPrivilegeTests(LedgerFixture fixture) : IntegrationTest(fixture)
{
    [Fact]
    public async Task The_api_connects_as_a_role_that_is_neither_owner_nor_superuser_and_may_only_read_and_insert_history() =>
        await LeastPrivilegeChecks.TheApiIsNotTheOwnerNorASuperuserAsync(Fixture, databases: 1);

    [Fact]
    public async Task After_a_real_flow_the_api_role_cannot_update_delete_truncate_or_unprotect_history()
    {
        await Given.SampleRegistry();
        // Through the API, as the app role: findings, a report, a notification, a rectification, the chain and a signed head.
        var reported = await Given.ReportedInspection();
        await Given.NotifiedWithDeadline(reported);
        await Fixture.SettledAsync();
        var head = await Scenarios.Expect(await Given.Send(HttpMethod.Post, "/api/ledger/heads", Fixture.Token(Roles.Reviewer)), 200);
        Assert.True(head.GetProperty("treeSize").GetInt64() > 0);

        var database = (await Fixture.Store.DatabasesAsync()).Single();
        await LeastPrivilegeChecks.EveryAttackOnHistoryIsRefusedAsync(database);

        // The ledger still verifies and still signs: nothing was changed, and the API still works.
        var verify = await Given.GetJson("/api/ledger/verify");
        Assert.True(verify.GetProperty("intact").GetBoolean(), verify.GetRawText());
        Assert.Equal(JsonValueKind.Object, (await Given.GetJson("/api/ledger/heads")).ValueKind);
    }

    [Fact]
    public async Task The_grants_are_the_same_when_applied_again()
    {
        var database = (await Fixture.Store.DatabasesAsync()).Single();
        await using var owner = await LedgerFixture.OwnerConnectionAsync(database);
        await DatabaseRoles.GrantAsync(owner, LedgerFixture.AppRole);
        await DatabaseRoles.GrantAsync(owner, LedgerFixture.AppRole);
        await LeastPrivilegeChecks.TheApiIsNotTheOwnerNorASuperuserAsync(Fixture, databases: 1);
    }

    [Fact]
    public void Migrating_refuses_an_api_that_connects_as_the_owner()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:Ledger"] = "Host=127.0.0.1;Username=ledger_owner;Database=ledger",
            [$"ConnectionStrings:{LedgerMigration.OwnerConnectionName}"] = "Host=127.0.0.1;Username=ledger_owner;Database=ledger",
        }).Build();
        var refused = Assert.Throws<InvalidOperationException>(() => LedgerMigration.TargetsOf(configuration));
        Assert.Contains("connects as the schema's owner", refused.Message);
    }
}

public sealed class ProvinceLeastPrivilegeTests(ProvinceFixture fixture) : ProvinceTest(fixture)
{
    [Fact]
    public async Task In_every_database_of_a_province_the_api_role_may_only_read_and_insert_history()
    {
        await LeastPrivilegeChecks.TheApiIsNotTheOwnerNorASuperuserAsync(Fixture, databases: 2);
        await Given.SampleRegistry();   // 新丰: the second database
        var south = (await Fixture.Store.DatabasesAsync()).Single(d => Api.Storage.LedgerSql.NameOf(d) == ProvinceFixture.South);
        // The chain writer reaches only events below the daemon's high-water mark (the other database has no events to wait for).
        await Marten.Events.TestingExtensions.WaitForNonStaleProjectionDataAsync(south, TimeSpan.FromSeconds(60));
        // Chains what is pending in 新丰's database and signs a head of it.
        await Scenarios.Expect(await Given.Send(HttpMethod.Post, "/api/ledger/heads", Fixture.Token(Roles.Reviewer)), 200);
        await LeastPrivilegeChecks.EveryAttackOnHistoryIsRefusedAsync(south);
    }
}
