using Ledger.Api.Storage;
using Ledger.Api.Exports;
using Ledger.Domain.Access;
using Ledger.Api.Auth;
using Ledger.Api.Setup;
using Marten;
using Marten.Storage;
using Microsoft.AspNetCore.Authorization;
using Npgsql;
using Wolverine.Http;

namespace Ledger.Api.Audit;

/// <summary>
/// One write the ledger refused for want of the right role or scope (403), or — counted, not
/// listed — the writes refused for want of a valid token (401) from one client in one minute:
/// <c>Count</c> of them, the last at <c>At</c> with its method and path, from <c>Source</c>.
/// </summary>
public sealed record RefusedWrite(DateTimeOffset At, string Method, string Path, int Status, string? User, string? Role, string? County)
{
    public long Count { get; init; } = 1;
    public string? Source { get; init; }
}

/// <summary>
/// Refused writes are logged — in the application log and in <c>ledger.refused_writes</c>, which
/// reviewers read — while the event store stays untouched: a refusal appends no event. A caller
/// with a valid token refused for role or scope (403) is recorded one row per refusal; refusals
/// without a valid token (401), which anyone can send by the thousand, are counted per client and
/// minute in <c>ledger.refused_anonymous</c> (at most <see cref="MaxSourcesPerMinute"/> clients a
/// minute, the rest together as <c>other</c>) and logged at most once a minute, as a sum.
/// </summary>
public sealed class RefusedWrites(IDocumentStore store, ILogger<RefusedWrites> logger)
{
    public const string Table = $"{MartenSetup.Schema}.{LedgerTables.RefusedWritesName}";
    public const string AnonymousTable = $"{MartenSetup.Schema}.{LedgerTables.RefusedAnonymousName}";
    public const int MaxSourcesPerMinute = 100;

    private readonly Lock _lock = new();
    private long _minute;
    private readonly HashSet<string> _sourcesThisMinute = [];
    private long _unloggedRefusals;
    private long _lastLoggedAt = Environment.TickCount64 - 60_000;

    /// <summary>Counts a refusal without a valid token against its client and minute; logs the sum at most once a minute.</summary>
    public async Task CountAnonymousAsync(HttpContext context)
    {
        var source = Setup.RequestLimits.ClientKey(context.Connection.RemoteIpAddress);
        long unlogged = 0;
        lock (_lock)
        {
            var minute = Environment.TickCount64 / 60_000;
            if (minute != _minute)
            {
                _minute = minute;
                _sourcesThisMinute.Clear();
            }
            if (!_sourcesThisMinute.Contains(source))
            {
                if (_sourcesThisMinute.Count >= MaxSourcesPerMinute) source = "other";
                else _sourcesThisMinute.Add(source);
            }
            _unloggedRefusals++;
            if (Environment.TickCount64 - _lastLoggedAt >= 60_000)
                (unlogged, _unloggedRefusals, _lastLoggedAt) = (_unloggedRefusals, 0, Environment.TickCount64);
        }
        if (unlogged > 0)
            logger.LogWarning("Refused {Count} writes without a valid token in the last minute or more (latest {Method} {Path} from {Source}); counts in {Table}",
                unlogged, context.Request.Method, context.Request.Path, source, AnonymousTable);
        try
        {
            await using var connection = await (await store.DatabaseOfAsync(null)).OpenConnectionAsync(CancellationToken.None);
            await using var command = new NpgsqlCommand($"""
                insert into {AnonymousTable} as t (minute, source, refusals, method, path) values (date_trunc('minute', now()), $1, 1, $2, $3)
                on conflict (minute, source) do update set refusals = t.refusals + 1, last_at = now(), method = excluded.method, path = excluded.path
                """, connection);
            command.Parameters.AddWithValue(Truncate(source, 64)!);
            command.Parameters.AddWithValue(Truncate(context.Request.Method, 10)!);
            command.Parameters.AddWithValue(Truncate(context.Request.Path.Value ?? "", 2000)!);
            await command.ExecuteNonQueryAsync();
        }
        catch (Exception e)
        {
            logger.LogError(e, "Could not count a refused write");
        }
    }

    public async Task RecordAsync(HttpContext context)
    {
        var caller = CallerClaims.From(context.User);
        var user = caller.User.Length > 0 ? caller.User : null;
        logger.LogWarning("Refused write {Method} {Path}: {Status} for user {User} role {Role} county {County}",
            context.Request.Method, context.Request.Path, context.Response.StatusCode, user, caller.Role, caller.County);
        try
        {
            await using var connection = await (await store.DatabaseOfAsync(caller.County)).OpenConnectionAsync(CancellationToken.None);
            await using var command = new NpgsqlCommand(
                $"insert into {Table} (method, path, status, user_name, role, county) values ($1, $2, $3, $4, $5, $6)", connection);
            command.Parameters.AddWithValue(context.Request.Method);
            command.Parameters.AddWithValue(Truncate(context.Request.Path.Value ?? "", 2000)!);
            command.Parameters.AddWithValue(context.Response.StatusCode);
            command.Parameters.AddWithValue((object?)Truncate(user, 200) ?? DBNull.Value);
            command.Parameters.AddWithValue((object?)Truncate(caller.Role, 50) ?? DBNull.Value);
            command.Parameters.AddWithValue(caller.County.Length > 0 ? Truncate(caller.County, 20)! : DBNull.Value);
            await command.ExecuteNonQueryAsync();
        }
        catch (Exception e)
        {
            logger.LogError(e, "Could not record a refused write");
        }
    }

    private static string? Truncate(string? text, int max) => text is null ? null : text.Length <= max ? text : text[..max];

    /// <summary>
    /// The latest refusals of a county (kept in the database that holds it) and those without a
    /// county (kept in the home database), newest first.
    /// </summary>
    public async Task<IReadOnlyList<RefusedWrite>> LatestAsync(IQuerySession session, int limit, CancellationToken ct)
    {
        var home = await store.DatabaseOfAsync(null);
        var atHome = home.Id == session.Database.Id;
        var rows = await ReadAsync(session.Database, session.TenantId, withoutCounty: atHome, limit, ct);
        if (!atHome) rows.AddRange(await ReadAsync(home, null, withoutCounty: true, limit, ct));
        rows.AddRange(await ReadAnonymousAsync(home, limit, ct));
        return rows.OrderByDescending(r => r.At).Take(limit).ToList();
    }

    /// <summary>The latest counts of refusals without a valid token (kept in the home database), newest first.</summary>
    private static async Task<List<RefusedWrite>> ReadAnonymousAsync(IMartenDatabase database, int limit, CancellationToken ct)
    {
        await using var connection = await database.OpenConnectionAsync(ct);
        await using var command = new NpgsqlCommand(
            $"select last_at, method, path, refusals, source from {AnonymousTable} order by last_at desc limit $1", connection);
        command.Parameters.AddWithValue(limit);
        var rows = new List<RefusedWrite>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
            rows.Add(new RefusedWrite(reader.GetFieldValue<DateTimeOffset>(0), reader.GetString(1), reader.GetString(2),
                StatusCodes.Status401Unauthorized, null, null, null) { Count = reader.GetInt64(3), Source = reader.GetString(4) });
        return rows;
    }

    /// <summary>Refusals of the county (if given) and/or those without a county, newest first.</summary>
    private static async Task<List<RefusedWrite>> ReadAsync(IMartenDatabase database, string? county, bool withoutCounty, int limit, CancellationToken ct)
    {
        await using var connection = await database.OpenConnectionAsync(ct);
        await using var command = new NpgsqlCommand(
            $"select at, method, path, status, user_name, role, county from {Table} " +
            $"where county = $2 {(withoutCounty ? "or county is null" : "")} order by id desc limit $1", connection);
        command.Parameters.AddWithValue(limit);
        command.Parameters.AddWithValue((object?)county ?? DBNull.Value);
        var rows = new List<RefusedWrite>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
            rows.Add(new RefusedWrite(reader.GetFieldValue<DateTimeOffset>(0), reader.GetString(1), reader.GetString(2), reader.GetInt32(3),
                reader.IsDBNull(4) ? null : reader.GetString(4), reader.IsDBNull(5) ? null : reader.GetString(5),
                reader.IsDBNull(6) ? null : reader.GetString(6)));
        return rows;
    }

    /// <summary>Middleware: after a write answered 401 or 403, record it (a caller without a valid token only counted).</summary>
    public static async Task LogRefusals(HttpContext context, Func<Task> next)
    {
        await next();
        if (HttpMethods.IsGet(context.Request.Method) || HttpMethods.IsHead(context.Request.Method)
            || context.Response.StatusCode is not (StatusCodes.Status401Unauthorized or StatusCodes.Status403Forbidden)) return;
        var log = context.RequestServices.GetRequiredService<RefusedWrites>();
        if (context.User.Identity?.IsAuthenticated == true) await log.RecordAsync(context);
        else await log.CountAnonymousAsync(context);
    }
}

public static class GetRefusedWrites
{
    /// <summary>The latest refused writes (401/403) of the caller's county, and those without any county.</summary>
    [WolverineGet("/api/audit/refused-writes")]
    [Authorize(Roles = Roles.ReadAll)]
    public static Task<IReadOnlyList<RefusedWrite>> Get(int? limit, IQuerySession session, RefusedWrites log, CancellationToken ct) =>
        log.LatestAsync(session, Math.Clamp(limit ?? 100, 1, 1000), ct);
}
