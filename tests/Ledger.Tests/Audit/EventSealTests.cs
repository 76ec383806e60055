using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Ledger.Api.Audit;
using Ledger.Api.Storage;
using Ledger.Domain.Access;
using Ledger.Domain.Audit;
using Ledger.Tests.Fixtures;
using Npgsql;

namespace Ledger.Tests.Audit;

/// <summary>
/// Every event is sealed (HMAC under a key outside the database) in the transaction that appends it,
/// and every column the ledger reads is hashed: an operator who edits, archives or inserts events is
/// caught even before the chain writer reaches them (docs/audit.md).
/// </summary>
public sealed class EventSealTests(LedgerFixture fixture) : IntegrationTest(fixture)
{
    private async Task<JsonElement> Verify() => await Given.GetJson("/api/ledger/verify");

    private static (long Sequence, string Kind) First(JsonElement verification) =>
        (verification.GetProperty("firstBroken").GetProperty("sequence").GetInt64(),
         verification.GetProperty("firstBroken").GetProperty("kind").GetString()!);

    private async Task<NpgsqlConnection> OpenAsync() =>
        await LedgerFixture.OwnerConnectionAsync((await Fixture.Store.DatabasesAsync()).Single());   // an operator's

    private static async Task<T> Scalar<T>(NpgsqlConnection connection, string sql, NpgsqlTransaction? tx = null)
    {
        await using var command = new NpgsqlCommand(sql, connection, tx);
        return (T)(await command.ExecuteScalarAsync())!;
    }

    private static async Task Execute(NpgsqlConnection connection, string sql, NpgsqlTransaction? tx = null)
    {
        await using var command = new NpgsqlCommand(sql, connection, tx);
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>
    /// Holds the chain's advisory lock while <paramref name="work"/> appends and tampers, so the chain
    /// writer cannot reach those events until it is released: they are changed before they are chained.
    /// </summary>
    private async Task BeforeChaining(Func<NpgsqlConnection, NpgsqlTransaction, Task> work)
    {
        await using var connection = await OpenAsync();
        await using var tx = await connection.BeginTransactionAsync();
        await Execute(connection, $"select pg_advisory_xact_lock({HashChain.LockKey})", tx);
        await work(connection, tx);
        await tx.CommitAsync();
    }

    private async Task<long> LastSequence(NpgsqlConnection connection, NpgsqlTransaction? tx = null) =>
        await Scalar<long>(connection, "select max(seq_id) from ledger.mt_events where type <> 'tombstone'", tx);

    private async Task<bool> Chained(NpgsqlConnection connection, long sequence, NpgsqlTransaction? tx = null) =>
        await Scalar<long>(connection, $"select count(*) from {HashChain.Table} where seq_id = {sequence}", tx) > 0;

    /// <summary>Appends through every write path: the API's import, a field inspection and its finding, an anonymous tip.</summary>
    private async Task EventsOfEveryPath()
    {
        await Given.SampleRegistry();
        var inspection = await Given.InspectionInField();
        await Given.RecordedFinding(inspection);
        await Scenarios.Expect(await Given.PostJson("/api/tips",
            new { description = "村干部挪用危房改造补助", village = "440233100203", contact = "13800000000" }, token: null), 201);
    }

    [Fact]
    public async Task Every_event_of_every_write_path_carries_a_seal_that_recomputes_from_its_stored_row()
    {
        await EventsOfEveryPath();
        await using var connection = await OpenAsync();
        Assert.Equal(0L, await Scalar<long>(connection,
            "select count(*) from ledger.mt_events where type <> 'tombstone' and (headers->>'mac') is null"));
        Assert.True(await Scalar<long>(connection, "select count(*) from ledger.mt_events where headers->>'role' = 'anonymous'") > 0);

        // The procedure of docs/audit.md, on each stored row, with the test's own key.
        await using var command = new NpgsqlCommand("""
            select tenant_id, stream_id::text, id::text, type, coalesce(user_name, ''), (headers - 'mac')::text, data::text, headers->>'mac'
            from ledger.mt_events where type <> 'tombstone' order by seq_id
            """, connection);
        await using var reader = await command.ExecuteReaderAsync();
        var rows = 0;
        while (await reader.ReadAsync())
        {
            var text = string.Join("\n", "ledger-mac-v1", reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3),
                reader.GetString(4), LedgerHashing.CanonicalJson(reader.GetString(5)), LedgerHashing.CanonicalJson(reader.GetString(6)));
            Assert.Equal(Convert.ToHexStringLower(HMACSHA256.HashData(LedgerFixture.MacKey, Encoding.UTF8.GetBytes(text))), reader.GetString(7));
            rows++;
        }
        Assert.True(rows > 100);
        await reader.DisposeAsync();

        var result = await Verify();
        Assert.True(result.GetProperty("intact").GetBoolean(), result.ToString());
    }

    [Fact]
    public async Task An_event_changed_before_the_chain_reaches_it_is_named()
    {
        await Given.SampleRegistry();
        await Fixture.SettledAsync();
        long target = 0;
        await BeforeChaining(async (connection, tx) =>
        {
            // A new village is appended and, before the chain writer sees it, renamed in the database.
            await Scenarios.Expect(await Given.ImportCsv("town_code,name,kind\n440233199,新镇,town\n",
                Fixture.Token(Roles.PovertyOffice)), 200);
            target = await LastSequence(connection, tx);
            Assert.False(await Chained(connection, target, tx));
            await Execute(connection, $"update ledger.mt_events set data = jsonb_set(data, '{{Name}}', '\"篡改村\"') where seq_id = {target}", tx);
        });
        await Fixture.SettledAsync();   // the chain writer may now reach the edited event
        var result = await Verify();
        Assert.False(result.GetProperty("intact").GetBoolean());
        Assert.Equal((target, HashChain.SealAltered), First(result));
        // The chain itself took the edit as it found it: only the seal tells.
        await using var connection = await OpenAsync();
        Assert.True(await Chained(connection, target));
        Assert.Equal(1, result.GetProperty("problems").GetInt32());
    }

    [Fact]
    public async Task An_archived_stream_is_named_though_archiving_hides_it_from_every_read()
    {
        await Given.SampleRegistry();
        await Fixture.SettledAsync();
        Assert.True((await Verify()).GetProperty("intact").GetBoolean());
        await using var connection = await OpenAsync();
        var target = await LastSequence(connection) - 10;
        var first = await Scalar<long>(connection,
            $"select min(seq_id) from ledger.mt_events where stream_id = (select stream_id from ledger.mt_events where seq_id = {target})");
        await Execute(connection, $"""
            update ledger.mt_streams set is_archived = true where id = (select stream_id from ledger.mt_events where seq_id = {target});
            update ledger.mt_events set is_archived = true where stream_id = (select stream_id from ledger.mt_events where seq_id = {target});
            """);
        var result = await Verify();
        Assert.False(result.GetProperty("intact").GetBoolean());
        Assert.Equal((first, "changed"), First(result));
    }

    [Fact]
    public async Task An_event_archived_before_the_chain_reaches_it_is_named()
    {
        await Given.SampleRegistry();
        await Fixture.SettledAsync();
        long target = 0;
        await BeforeChaining(async (connection, tx) =>
        {
            await Scenarios.Expect(await Given.ImportCsv("town_code,name,kind\n440233199,新镇,town\n",
                Fixture.Token(Roles.PovertyOffice)), 200);
            target = await LastSequence(connection, tx);
            await Execute(connection, $"update ledger.mt_events set is_archived = true where seq_id = {target}", tx);
        });
        Assert.Equal((target, HashChain.Archived), First(await Verify()));
    }

    [Fact]
    public async Task A_seal_forged_without_the_key_along_with_the_data_is_named()
    {
        await Given.SampleRegistry();
        await Fixture.SettledAsync();
        long target = 0;
        await BeforeChaining(async (connection, tx) =>
        {
            await Scenarios.Expect(await Given.ImportCsv("town_code,name,kind\n440233199,新镇,town\n",
                Fixture.Token(Roles.PovertyOffice)), 200);
            target = await LastSequence(connection, tx);
            // The operator knows the procedure but not the key: they seal the edited event under a key of their own.
            await Execute(connection, $"update ledger.mt_events set data = jsonb_set(data, '{{Name}}', '\"篡改村\"') where seq_id = {target}", tx);
            var text = await Scalar<string>(connection, $"""
                select concat_ws(E'\n', 'ledger-mac-v1', tenant_id, stream_id::text, id::text, type, coalesce(user_name, ''), (headers - 'mac')::text, data::text)
                from ledger.mt_events where seq_id = {target}
                """, tx);
            var forged = Convert.ToHexStringLower(HMACSHA256.HashData(RandomNumberGenerator.GetBytes(32), Encoding.UTF8.GetBytes(text)));
            await Execute(connection, $"update ledger.mt_events set headers = jsonb_set(headers, '{{mac}}', '\"{forged}\"') where seq_id = {target}", tx);
        });
        var result = await Verify();
        Assert.Equal((target, HashChain.SealAltered), First(result));
    }

    [Fact]
    public async Task An_event_inserted_without_a_seal_is_named()
    {
        await Given.SampleRegistry();
        await Fixture.SettledAsync();
        long inserted = 0;
        await BeforeChaining(async (connection, tx) =>
        {
            var last = await LastSequence(connection, tx);
            inserted = await Scalar<long>(connection, $"""
                insert into ledger.mt_events (seq_id, id, stream_id, version, data, type, timestamp, tenant_id, mt_dotnet_type, headers, user_name)
                select nextval('ledger.mt_events_sequence'), gen_random_uuid(), stream_id, 99, data, type, timestamp, tenant_id, mt_dotnet_type,
                       headers - 'mac', user_name
                from ledger.mt_events where seq_id = {last}
                returning seq_id
                """, tx);
        });
        var result = await Verify();
        Assert.False(result.GetProperty("intact").GetBoolean());
        Assert.Equal((inserted, HashChain.SealMissing), First(result));
    }
}
