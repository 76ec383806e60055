using System.Data.Common;
using Ledger.Api.Setup;
using Marten;
using Weasel.Core;
using Weasel.Postgresql;
using Weasel.Postgresql.Functions;
using Weasel.Postgresql.Tables;
using Weasel.Postgresql.Triggers;

namespace Ledger.Api.Storage;

/// <summary>
/// The ledger's own tables beside Marten's, declared once as schema objects of the document store:
/// Marten makes or patches them in every database of the ledger like its own tables (at start,
/// <c>ApplyAllDatabaseChangesOnStartup</c>; by hand, <c>db-apply</c>, <c>db-patch</c>, and
/// <c>db-assert</c> to check). Column types are spelled as PostgreSQL reads them back
/// (<c>character(64)</c>, not <c>char(64)</c>) and keys carry PostgreSQL's own names, so a
/// database made earlier by hand-written DDL compares equal and is left alone.
/// </summary>
public static class LedgerTables
{
    public const string ChainName = "ledger_chain";
    /// <summary>The chain's unique index: one leaf per index in each county's log.</summary>
    public const string ChainLeafIndexName = "ledger_chain_county_leaf";
    public const string IdempotencyName = "idempotency";
    public const string RefusedWritesName = "refused_writes";
    public const string RefusedAnonymousName = "refused_anonymous";
    public const string AppendOnlyFunctionName = "ledger_chain_is_append_only";
    public const string AppendOnlyTriggerName = "ledger_chain_append_only";
    public const string HeadsName = "ledger_heads";
    public const string HeadsAppendOnlyFunctionName = "ledger_heads_is_append_only";
    public const string HeadsAppendOnlyTriggerName = "ledger_heads_append_only";
    public const string EvidenceFilesName = "evidence_files";
    public const string EvidenceChunksName = "evidence_chunks";
    public const string EvidenceUploadsName = "evidence_uploads";
    public const string CheckpointsName = "accountability_checkpoints";
    /// <summary>Marten's table of events (in <see cref="MartenSetup.Schema"/>).</summary>
    public const string EventsName = "mt_events";

    /// <summary>
    /// The tables that hold history: the events, the chain over them and its signed heads. The
    /// API's role may read and insert their rows and nothing else (no UPDATE, DELETE or TRUNCATE;
    /// <see cref="DatabaseRoles"/>); every other table of the schema it may change. A new table of
    /// history is added here, and nowhere else.
    /// </summary>
    public static readonly IReadOnlyList<string> History = [EventsName, ChainName, HeadsName, EvidenceFilesName, EvidenceChunksName, CheckpointsName];

    /// <summary>Registers every table, function and trigger below with the store.</summary>
    public static void AddLedgerTables(this StoreOptions options) =>
        options.Storage.ExtendedSchemaObjects.AddRange(All());

    /// <summary>In creation order: the trigger's function before the trigger, its table before both.</summary>
    public static IEnumerable<ISchemaObject> All() =>
        [Chain(), AppendOnlyFunction(), AppendOnlyTrigger(), Heads(), HeadsAppendOnlyFunction(), HeadsAppendOnlyTrigger(), Idempotency(), RefusedWrites(), RefusedAnonymous(),
         EvidenceFiles(), EvidenceChunks(), EvidenceUploads(), Checkpoints()];

    /// <summary>
    /// The hash chains, one log per county: one entry per event (its global sequence the key), at
    /// leaf index 0, 1, 2… of its county's log (<c>tenant_id</c>), unique per county (see <see cref="Audit.HashChain"/>).
    /// </summary>
    public static Table Chain()
    {
        var table = new Table(Named(ChainName)) { PrimaryKeyName = $"{ChainName}_pkey" };
        table.AddColumn("seq_id", "bigint").AsPrimaryKey();
        table.AddColumn("tenant_id", "varchar(100)").NotNull();
        table.AddColumn("leaf_index", "bigint").NotNull();
        table.AddColumn("content_hash", "character(64)").NotNull();
        table.AddColumn("body_hash", "character(64)").NotNull();
        table.AddColumn("chain_hash", "character(64)").NotNull();
        table.AddColumn("chained_at", "timestamptz").NotNull().DefaultValueByExpression("now()");
        table.Indexes.Add(new IndexDefinition(ChainLeafIndexName) { Columns = ["tenant_id", "leaf_index"], IsUnique = true });
        return table;
    }

    /// <summary>What the append-only trigger runs: refuses the statement, naming it.</summary>
    /// <remarks>Written as <c>pg_get_functiondef</c> renders it, so the stored function compares equal.</remarks>
    public static Function AppendOnlyFunction() => new(Named(AppendOnlyFunctionName, SchemaUtils.IdentifierUsage.Function), $"""
        CREATE OR REPLACE FUNCTION {MartenSetup.Schema}.{AppendOnlyFunctionName}()
         RETURNS trigger
         LANGUAGE plpgsql
        AS $function$
        begin raise exception 'the ledger chain is append-only: % refused', tg_op; end $function$;
        """);

    /// <summary>The chain is never changed: every UPDATE and DELETE of a row is refused.</summary>
    public static Trigger AppendOnlyTrigger() => new EventOrderTolerantTrigger(Named(AppendOnlyTriggerName), Named(ChainName),
        $"{MartenSetup.Schema}.{AppendOnlyFunctionName}()")
    {
        Timing = TriggerTiming.Before,
        Events = TriggerEvents.Update | TriggerEvents.Delete,
        ForEachRow = true,
    };

    /// <summary>Signed tree heads of each county's log, one per county and tree size (see <see cref="Audit.TreeHeads"/>).</summary>
    public static Table Heads()
    {
        var table = new Table(Named(HeadsName)) { PrimaryKeyName = $"{HeadsName}_pkey" };
        table.AddColumn("county", "varchar(100)").AsPrimaryKey();
        table.AddColumn("tree_size", "bigint").AsPrimaryKey();
        table.AddColumn("merkle_root", "character(64)").NotNull();
        table.AddColumn("chain_head", "character(64)").NotNull();
        table.AddColumn("last_seq", "bigint").NotNull();
        table.AddColumn("head_time", "timestamptz").NotNull();
        table.AddColumn("signature", "text").AllowNulls();
        table.AddColumn("key_id", "character(64)").AllowNulls();
        table.AddColumn("made_at", "timestamptz").NotNull().DefaultValueByExpression("now()");
        return table;
    }

    /// <summary>What the heads' append-only trigger runs.</summary>
    public static Function HeadsAppendOnlyFunction() => new(Named(HeadsAppendOnlyFunctionName, SchemaUtils.IdentifierUsage.Function), $"""
        CREATE OR REPLACE FUNCTION {MartenSetup.Schema}.{HeadsAppendOnlyFunctionName}()
         RETURNS trigger
         LANGUAGE plpgsql
        AS $function$
        begin raise exception 'the ledger heads are append-only: % refused', tg_op; end $function$;
        """);

    /// <summary>A signed head is never changed: every UPDATE and DELETE of a row is refused.</summary>
    public static Trigger HeadsAppendOnlyTrigger() => new EventOrderTolerantTrigger(Named(HeadsAppendOnlyTriggerName), Named(HeadsName),
        $"{MartenSetup.Schema}.{HeadsAppendOnlyFunctionName}()")
    {
        Timing = TriggerTiming.Before,
        Events = TriggerEvents.Update | TriggerEvents.Delete,
        ForEachRow = true,
    };

    /// <summary>Idempotency keys with the answer first given (see <see cref="Writes.Idempotency"/>).</summary>
    public static Table Idempotency()
    {
        var table = new Table(Named(IdempotencyName)) { PrimaryKeyName = $"{IdempotencyName}_pkey" };
        table.AddColumn("county", "varchar(20)").AsPrimaryKey();
        table.AddColumn("user_name", "varchar(200)").AsPrimaryKey();
        table.AddColumn("key", "varchar(200)").AsPrimaryKey();
        table.AddColumn("request_hash", "character(64)").NotNull();
        table.AddColumn("status", "int").AllowNulls();
        table.AddColumn("content_type", "varchar(200)").AllowNulls();
        table.AddColumn("location", "varchar(2000)").AllowNulls();
        table.AddColumn("body", "bytea").AllowNulls();
        table.AddColumn("created_at", "timestamptz").NotNull().DefaultValueByExpression("now()");
        table.AddColumn("owner", "uuid").AllowNulls();   // the request that claimed the key: only it stores the answer
        return table;
    }

    /// <summary>Writes refused for want of a valid token or of the right role or scope (see <see cref="Audit.RefusedWrites"/>).</summary>
    public static Table RefusedWrites()
    {
        var table = new Table(Named(RefusedWritesName)) { PrimaryKeyName = $"{RefusedWritesName}_pkey" };
        table.AddColumn("id", "bigint").AsPrimaryKey().BigAutoIncrement();
        table.AddColumn("at", "timestamptz").NotNull().DefaultValueByExpression("now()");
        table.AddColumn("method", "varchar(10)").NotNull();
        table.AddColumn("path", "varchar(2000)").NotNull();
        table.AddColumn("status", "int").NotNull();
        table.AddColumn("user_name", "varchar(200)").AllowNulls();
        table.AddColumn("role", "varchar(50)").AllowNulls();
        table.AddColumn("county", "varchar(20)").AllowNulls();
        return table;
    }

    /// <summary>
    /// Writes refused for want of a valid token, counted rather than listed: one row per client
    /// (address, IPv6 /64) and minute, with the last method and path (see <see cref="Audit.RefusedWrites"/>).
    /// </summary>
    public static Table RefusedAnonymous()
    {
        var table = new Table(Named(RefusedAnonymousName)) { PrimaryKeyName = $"{RefusedAnonymousName}_pkey" };
        table.AddColumn("minute", "timestamptz").AsPrimaryKey();
        table.AddColumn("source", "varchar(64)").AsPrimaryKey();
        table.AddColumn("refusals", "bigint").NotNull();
        table.AddColumn("last_at", "timestamptz").NotNull().DefaultValueByExpression("now()");
        table.AddColumn("method", "varchar(10)").NotNull();
        table.AddColumn("path", "varchar(2000)").NotNull();
        return table;
    }

    /// <summary>
    /// Evidence files a county holds (佐证材料), by content: one row per county, SHA-256 and uploader, with
    /// the type sniffed from the bytes and the name given at upload. Insert-only
    /// (in <see cref="History"/>): a file is never replaced; a wrong one is superseded by an amendment.
    /// </summary>
    public static Table EvidenceFiles()
    {
        var table = new Table(Named(EvidenceFilesName)) { PrimaryKeyName = $"{EvidenceFilesName}_pkey" };
        table.AddColumn("county", "varchar(100)").AsPrimaryKey();
        table.AddColumn("sha256", "character(64)").AsPrimaryKey();
        table.AddColumn("size", "bigint").NotNull();
        table.AddColumn("media_type", "varchar(100)").NotNull();
        table.AddColumn("name", "varchar(300)").NotNull();
        table.AddColumn("uploaded_by", "varchar(200)").AsPrimaryKey();
        table.AddColumn("uploaded_at", "timestamptz").NotNull().DefaultValueByExpression("now()");
        table.AddColumn("taken_at", "timestamp without time zone").AllowNulls();   // EXIF, camera-local time
        table.AddColumn("latitude", "double precision").AllowNulls();
        table.AddColumn("longitude", "double precision").AllowNulls();
        return table;
    }

    /// <summary>The bytes of the files of the PostgreSQL evidence store, in chunks of 1 MiB by SHA-256; insert-only (<see cref="History"/>).</summary>
    public static Table EvidenceChunks()
    {
        var table = new Table(Named(EvidenceChunksName)) { PrimaryKeyName = $"{EvidenceChunksName}_pkey" };
        table.AddColumn("sha256", "character(64)").AsPrimaryKey();
        table.AddColumn("n", "integer").AsPrimaryKey();
        table.AddColumn("bytes", "bytea").NotNull();
        return table;
    }

    /// <summary>An upload in progress (its hash not yet known), within the transaction that stores it; empty between uploads.</summary>
    public static Table EvidenceUploads()
    {
        var table = new Table(Named(EvidenceUploadsName)) { PrimaryKeyName = $"{EvidenceUploadsName}_pkey" };
        table.AddColumn("upload", "uuid").AsPrimaryKey();
        table.AddColumn("n", "integer").AsPrimaryKey();
        table.AddColumn("bytes", "bytea").NotNull();
        return table;
    }

    /// <summary>
    /// Checkpoints of the folded accountability state, one row per county, sequence and year, sealed
    /// (see <see cref="Accountability.AccountabilityCheckpoints"/>); insert-only (<see cref="History"/>).
    /// </summary>
    public static Table Checkpoints()
    {
        var table = new Table(Named(CheckpointsName)) { PrimaryKeyName = $"{CheckpointsName}_pkey" };
        table.AddColumn("tenant_id", "varchar(100)").AsPrimaryKey();
        table.AddColumn("seq_id", "bigint").AsPrimaryKey();
        table.AddColumn("year", "integer").AsPrimaryKey();
        table.AddColumn("last_timestamp", "timestamptz").NotNull();
        table.AddColumn("chain_hash", "character(64)").NotNull();
        table.AddColumn("content", "text").NotNull();
        table.AddColumn("mac", "character(64)").NotNull();
        table.AddColumn("made_at", "timestamptz").NotNull().DefaultValueByExpression("now()");
        return table;
    }

    private static PostgresqlObjectName Named(string name, SchemaUtils.IdentifierUsage usage = SchemaUtils.IdentifierUsage.General) =>
        new(MartenSetup.Schema, name, usage);

    /// <summary>
    /// A trigger compared with the database the way PostgreSQL spells it. <c>pg_get_triggerdef</c>
    /// lists a trigger's events as INSERT, DELETE, UPDATE, TRUNCATE, while Weasel (9.50) writes
    /// UPDATE before DELETE and compares the two texts as they are: an <c>UPDATE OR DELETE</c>
    /// trigger would look changed every time (db-assert failing, each start dropping and recreating
    /// it). Here the stored definition is read with its events put back in Weasel's order first.
    /// </summary>
    private sealed class EventOrderTolerantTrigger(DbObjectName identifier, DbObjectName target, string functionCall)
        : Trigger(identifier, target, functionCall)
    {
        public override async Task<ISchemaObjectDelta> CreateDeltaAsync(DbDataReader reader, CancellationToken ct = default)
        {
            var definition = await reader.ReadAsync(ct) && !await reader.IsDBNullAsync(0, ct) ? await reader.GetFieldValueAsync<string>(0, ct) : null;
            if (string.IsNullOrWhiteSpace(definition)) return new SchemaObjectDelta(this, SchemaPatchDifference.Create);
            var asWeaselWrites = definition.Replace($" {PostgresqlEventList()} ON ", $" {EventList(" OR ")} ON ", StringComparison.OrdinalIgnoreCase);
            return new SchemaObjectDelta(this, Matches(asWeaselWrites) ? SchemaPatchDifference.None : SchemaPatchDifference.Update);
        }

        private string PostgresqlEventList() => string.Join(" OR ",
            new[] { (TriggerEvents.Insert, "INSERT"), (TriggerEvents.Delete, "DELETE"), (TriggerEvents.Update, "UPDATE"), (TriggerEvents.Truncate, "TRUNCATE") }
                .Where(e => Events.HasFlag(e.Item1)).Select(e => e.Item2));
    }
}
