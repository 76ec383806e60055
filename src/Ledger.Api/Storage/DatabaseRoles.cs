using System.Text.RegularExpressions;
using Ledger.Api.Setup;
using Npgsql;

namespace Ledger.Api.Storage;

/// <summary>
/// Least privilege in the database: the schema is owned and migrated by one role (the owner, e.g.
/// <c>ledger_owner</c>), and the API connects as another (e.g. <c>ledger_app</c>) that is neither the
/// owner nor a superuser. The app role may read and insert the rows of the history tables
/// (<see cref="LedgerTables.History"/>) and nothing more: no UPDATE, DELETE or TRUNCATE, and as it owns
/// nothing it cannot ALTER, DROP or disable a trigger either. Every other table of the schema it may
/// change (documents, streams, progression, idempotency, refused writes, Wolverine's tables).
/// Two steps, both idempotent, so run.sh, the tests and a real server use the same statements:
/// <see cref="PrepareAsync"/> (a superuser: roles, database rights, ownership of what exists) and
/// <see cref="GrantAsync"/> (the owner, after each migration: the app role's grants). See docs/audit.md.
/// </summary>
public static partial class DatabaseRoles
{
    public const string DefaultOwner = "ledger_owner";
    public const string DefaultApp = "ledger_app";

    /// <summary>Privileges on the history tables: read and append, nothing else.</summary>
    public const string HistoryPrivileges = "select, insert";

    /// <summary>Privileges on every other table of the schema.</summary>
    public const string TablePrivileges = "select, insert, update, delete, truncate";

    /// <summary>
    /// As a superuser (or a role with CREATEROLE that owns the database), in the ledger's database:
    /// makes the two roles when missing (LOGIN, with the password when one is given), takes from them
    /// any superuser, CREATEDB or CREATEROLE right, lets the owner create schemas in the database and
    /// the app connect, and hands the schema and everything already in it (a database made before
    /// least privilege, owned by <c>postgres</c>) to the owner.
    /// </summary>
    public static async Task PrepareAsync(NpgsqlConnection admin, string owner, string app,
        string? ownerPassword = null, string? appPassword = null, CancellationToken ct = default)
    {
        if (owner == app) throw new ArgumentException("the owner and the app role must be two roles");
        foreach (var (role, password) in new[] { (owner, ownerPassword), (app, appPassword) })
        {
            Check(role);
            if (await ScalarAsync(admin, "select 1 from pg_roles where rolname = $1", ct, role) is null)
            {
                try
                {
                    await ExecuteAsync(admin, $"create role {Quote(role)} login", ct);
                }
                catch (PostgresException e) when (e.SqlState is PostgresErrorCodes.DuplicateObject or PostgresErrorCodes.UniqueViolation)
                {
                    // Made meanwhile by another session: roles are the cluster's, shared by its databases.
                }
            }
            await ExecuteAsync(admin, $"alter role {Quote(role)} login nosuperuser nocreatedb nocreaterole noreplication nobypassrls", ct);
            if (password is not null)
                await ExecuteAsync(admin, $"alter role {Quote(role)} password {Literal(password)}", ct);
        }
        var database = (string)(await ScalarAsync(admin, "select current_database()", ct))!;
        await ExecuteAsync(admin, $"""
            grant connect, create, temporary on database {Quote(database)} to {Quote(owner)};
            grant connect on database {Quote(database)} to {Quote(app)};
            create schema if not exists {MartenSetup.Schema} authorization {Quote(owner)};
            alter schema {MartenSetup.Schema} owner to {Quote(owner)};
            """, ct);
        await ExecuteAsync(admin, HandOverSql(owner), ct);
    }

    /// <summary>
    /// Gives the owner every table, view, sequence and function of the schema it does not own yet
    /// (tables first: a sequence that belongs to a column follows its table).
    /// </summary>
    public static string HandOverSql(string owner) => $$"""
        do $handover$
        declare r record;
        begin
          for r in select c.oid::regclass as name from pg_class c
                   where c.relnamespace = '{{MartenSetup.Schema}}'::regnamespace and c.relkind in ('r', 'p', 'v', 'm', 'f')
                     and c.relowner <> '{{Quote(owner)}}'::regrole loop
            execute format('alter table %s owner to {{Quote(owner)}}', r.name);
          end loop;
          for r in select c.oid::regclass as name from pg_class c
                   where c.relnamespace = '{{MartenSetup.Schema}}'::regnamespace and c.relkind = 'S'
                     and c.relowner <> '{{Quote(owner)}}'::regrole loop
            execute format('alter sequence %s owner to {{Quote(owner)}}', r.name);
          end loop;
          for r in select p.oid::regprocedure as name from pg_proc p
                   where p.pronamespace = '{{MartenSetup.Schema}}'::regnamespace and p.proowner <> '{{Quote(owner)}}'::regrole loop
            execute format('alter routine %s owner to {{Quote(owner)}}', r.name);
          end loop;
        end $handover$;
        """;

    /// <summary>
    /// The app role's grants, as the owner, after every migration: usage of the schema; full DML on
    /// every table, sequence use and function execution; the same by default for what the owner
    /// creates later; then, on the history tables, everything taken back but SELECT and INSERT.
    /// </summary>
    public static string GrantsSql(string app)
    {
        Check(app);
        var schema = MartenSetup.Schema;
        var history = string.Join(", ", LedgerTables.History.Select(t => $"{schema}.{t}"));
        return $"""
            grant usage on schema {schema} to {Quote(app)};
            grant {TablePrivileges} on all tables in schema {schema} to {Quote(app)};
            grant usage, select on all sequences in schema {schema} to {Quote(app)};
            grant execute on all functions in schema {schema} to {Quote(app)};
            alter default privileges in schema {schema} grant {TablePrivileges} on tables to {Quote(app)};
            alter default privileges in schema {schema} grant usage, select on sequences to {Quote(app)};
            alter default privileges in schema {schema} grant execute on functions to {Quote(app)};
            revoke all on table {history} from public, {Quote(app)};
            grant {HistoryPrivileges} on table {history} to {Quote(app)};
            """;
    }

    /// <summary>
    /// As the owner: applies <see cref="GrantsSql"/> in one transaction (under a lock, so two
    /// migrations at once do not race on the catalog), then checks what the app role ended up with.
    /// </summary>
    public static async Task GrantAsync(NpgsqlConnection ownerConnection, string app, CancellationToken ct = default)
    {
        await using (var tx = await ownerConnection.BeginTransactionAsync(ct))
        {
            await using (var command = new NpgsqlCommand($"select pg_advisory_xact_lock({GrantLockKey}); {GrantsSql(app)}", ownerConnection, tx))
                await command.ExecuteNonQueryAsync(ct);
            await tx.CommitAsync(ct);
        }
        var problems = await ProblemsAsync(ownerConnection, app, ct);
        if (problems.Count > 0)
            throw new InvalidOperationException($"The app role {app} is not least-privileged: {string.Join("; ", problems)}");
    }

    /// <summary>What makes the app role more than least-privileged; empty when all is well.</summary>
    public static async Task<IReadOnlyList<string>> ProblemsAsync(NpgsqlConnection connection, string app, CancellationToken ct = default)
    {
        var problems = new List<string>();
        await using var command = new NpgsqlCommand($"""
            select 'is a superuser' from pg_roles where rolname = $1 and (rolsuper or rolbypassrls)
            union all
            select 'owns the schema ' || nspname from pg_namespace where nspname = '{MartenSetup.Schema}' and pg_has_role($1, nspowner, 'USAGE')
            union all
            select 'owns or may change ' || t from unnest($2::text[]) t
              where pg_has_role($1, (select relowner from pg_class where oid = ('{MartenSetup.Schema}.' || t)::regclass), 'USAGE')
                 or has_table_privilege($1, '{MartenSetup.Schema}.' || t, 'UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER')
            union all
            select 'may create in the schema' where has_schema_privilege($1, '{MartenSetup.Schema}', 'CREATE')
            """, connection);
        command.Parameters.Add(new NpgsqlParameter { Value = app });
        command.Parameters.Add(new NpgsqlParameter { Value = LedgerTables.History.ToArray() });
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct)) problems.Add(reader.GetString(0));
        return problems;
    }

    /// <summary>An arbitrary number of ours for the grants' advisory lock.</summary>
    public const long GrantLockKey = 7_340_016_016;

    /// <summary>The user name a connection string logs in as.</summary>
    public static string UserOf(string connectionString) =>
        new NpgsqlConnectionStringBuilder(connectionString).Username
        ?? throw new InvalidOperationException("the connection string names no Username");

    private static void Check(string role)
    {
        if (!RoleName().IsMatch(role)) throw new ArgumentException($"'{role}' is not a plain role name (lower-case letters, digits, _)");
    }

    [GeneratedRegex("^[a-z_][a-z0-9_]{0,62}$")]
    private static partial Regex RoleName();

    private static string Quote(string identifier) => $"\"{identifier.Replace("\"", "\"\"")}\"";
    private static string Literal(string text) => $"'{text.Replace("'", "''")}'";

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(ct);
    }

    private static async Task<object?> ScalarAsync(NpgsqlConnection connection, string sql, CancellationToken ct, params object[] values)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var value in values) command.Parameters.Add(new NpgsqlParameter { Value = value });
        return await command.ExecuteScalarAsync(ct);
    }
}
