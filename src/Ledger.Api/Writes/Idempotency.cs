using Ledger.Api.Storage;
using Ledger.Api.Exports;
using Ledger.Api.Http;
using Ledger.Domain.Access;
using System.Collections.Concurrent;
using System.Security.Cryptography;
using Ledger.Api.Auth;
using Ledger.Api.Setup;
using Marten;
using Marten.Storage;
using Npgsql;

namespace Ledger.Api.Writes;

/// <summary>
/// <c>Idempotency-Key</c> on any POST to a route of the ledger: a retry with the same key and the
/// same request (method, path, query, <c>If-Match</c> and body) gets the first answer again and
/// appends nothing; the same key with another request gets 422. Keys belong to a county and a user
/// and are kept for <see cref="Window"/> (<c>Ledger:Idempotency:WindowHours</c>, default 24): an
/// older key counts as new, and <see cref="IdempotencyPurge"/> deletes expired keys. For writes
/// through the ledger's session the key is claimed <em>inside the write's own transaction</em>
/// (<see cref="IdempotencyMarker"/>), so a crash between commit and answer can never let a retry
/// record the same thing twice: the retry then answers 409 instead. Only the request that claimed
/// the key stores its answer, and never over another's: concurrent duplicates in one process wait
/// for the first and get its answer; in another process they lose the claim (409) and store nothing.
/// </summary>
public sealed class Idempotency(IDocumentStore store, IConfiguration configuration, ILogger<Idempotency> logger)
{
    public const string Header = "Idempotency-Key";
    public const string Table = $"{MartenSetup.Schema}.{LedgerTables.IdempotencyName}";
    public const string WindowSetting = "Ledger:Idempotency:WindowHours";

    /// <summary>How long a key and its answer are kept (24 h unless configured).</summary>
    public TimeSpan Window { get; } = TimeSpan.FromHours(configuration.GetValue(WindowSetting, 24.0));

    /// <summary>The requests running now in this process, by county, user and key.</summary>
    private readonly ConcurrentDictionary<(string County, string User, string Key), Task> _running = new();

    /// <summary>The key of the request being processed, for the in-transaction claim; <c>Owner</c> names this request.</summary>
    public sealed record Claim(string County, string User, string Key, string RequestHash, Guid Owner);

    public static async Task Handle(HttpContext context, Func<Task> next)
    {
        var key = context.Request.Headers[Header].ToString();
        if (!HttpMethods.IsPost(context.Request.Method) || string.IsNullOrEmpty(key) || !RoutedPost(context)
            || Setup.RequestLimits.Streams(context.Request))
        {
            await next();
            return;
        }
        if (key.Length > 200)
        {
            await Results.Problem(ProblemAnswers.BadRequest($"{Header} is longer than 200 characters")).ExecuteAsync(context);
            return;
        }
        await context.RequestServices.GetRequiredService<Idempotency>().RunAsync(context, key, next);
    }

    /// <summary>Only a POST that reached a POST route has an answer worth keeping (not a 404 or 405 of the router).</summary>
    private static bool RoutedPost(HttpContext context) =>
        context.GetEndpoint()?.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods.Contains(HttpMethods.Post) == true;

    private async Task RunAsync(HttpContext context, string key, Func<Task> next)
    {
        var caller = CallerClaims.From(context.User);
        var claim = new Claim(caller.County.Length > 0 ? caller.County : "public", caller.User.Length > 0 ? caller.User : "anonymous", key,
            await HashAsync(context.Request), Guid.NewGuid());
        // One request per key at a time in this process: a duplicate waits for the one running, then replays its answer.
        var running = (claim.County, claim.User, claim.Key);
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        while (!_running.TryAdd(running, done.Task))
            if (_running.TryGetValue(running, out var other)) await other.WaitAsync(context.RequestAborted);
        try
        {
            await RunAloneAsync(context, claim, next);
        }
        finally
        {
            _running.TryRemove(KeyValuePair.Create(running, done.Task));
            done.SetResult();
        }
    }

    private async Task RunAloneAsync(HttpContext context, Claim claim, Func<Task> next)
    {
        var key = claim.Key;
        // Kept in the database of the caller's county, where IdempotencyMarker claims it with the events.
        var database = await store.DatabaseOfAsync(claim.County == "public" ? null : claim.County);
        await using (var connection = await database.OpenConnectionAsync(context.RequestAborted))
        {
            await using var lookup = new NpgsqlCommand(
                $"select request_hash, status, content_type, location, body, created_at < now() - $4 from {Table} " +
                "where county = $1 and user_name = $2 and key = $3", connection);
            lookup.Parameters.AddWithValue(claim.County);
            lookup.Parameters.AddWithValue(claim.User);
            lookup.Parameters.AddWithValue(claim.Key);
            lookup.Parameters.AddWithValue(Window);
            await using var reader = await lookup.ExecuteReaderAsync(context.RequestAborted);
            if (await reader.ReadAsync(context.RequestAborted))
            {
                if (reader.GetBoolean(5))
                {
                    // Older than the window: forgotten, and this request is a new one.
                    await reader.DisposeAsync();
                    await using var forget = new NpgsqlCommand(
                        $"delete from {Table} where county = $1 and user_name = $2 and key = $3 and created_at < now() - $4", connection);
                    forget.Parameters.AddWithValue(claim.County);
                    forget.Parameters.AddWithValue(claim.User);
                    forget.Parameters.AddWithValue(claim.Key);
                    forget.Parameters.AddWithValue(Window);
                    await forget.ExecuteNonQueryAsync(context.RequestAborted);
                }
                else if (reader.GetString(0) != claim.RequestHash)
                {
                    await Results.Problem(ProblemAnswers.Unprocessable($"{Header} '{key}' was used for another request")).ExecuteAsync(context);
                    return;
                }
                else if (reader.IsDBNull(1))
                {
                    await Results.Problem(ProblemAnswers.Conflict(
                        $"the request with {Header} '{key}' was recorded but its answer is not stored yet; read the resource, do not resend")).ExecuteAsync(context);
                    return;
                }
                else
                {
                    context.Response.StatusCode = reader.GetInt32(1);
                    if (!reader.IsDBNull(2)) context.Response.ContentType = reader.GetString(2);
                    if (!reader.IsDBNull(3)) context.Response.Headers.Location = reader.GetString(3);
                    context.Response.Headers["Idempotent-Replayed"] = "true";
                    var stored = reader.IsDBNull(4) ? [] : (byte[])reader[4];
                    await context.Response.Body.WriteAsync(stored, context.RequestAborted);
                    return;
                }
            }
        }

        context.Items[typeof(Claim)] = claim;
        var original = context.Response.Body;
        var captured = new MemoryStream();
        context.Response.Body = captured;
        try
        {
            await next();
        }
        finally
        {
            context.Response.Body = original;
            captured.Position = 0;
            await captured.CopyToAsync(original);
        }
        if (context.Response.StatusCode < 500) await StoreAnswerAsync(database, claim, context, captured.ToArray());
    }

    /// <summary>
    /// Stores the answer under the key — as a new row, or into the claim this very request made
    /// (<see cref="Claim.Owner"/>) while it has no answer yet. A row another request claimed, or one
    /// that already holds an answer, is left as it is: a losing duplicate never overwrites the first.
    /// </summary>
    private async Task StoreAnswerAsync(IMartenDatabase database, Claim claim, HttpContext context, byte[] body)
    {
        try
        {
            await using var connection = await database.OpenConnectionAsync(CancellationToken.None);
            await using var command = new NpgsqlCommand($"""
                insert into {Table} (county, user_name, key, request_hash, status, content_type, location, body, owner)
                values ($1, $2, $3, $4, $5, $6, $7, $8, $9)
                on conflict (county, user_name, key) do update set status = excluded.status, content_type = excluded.content_type,
                    location = excluded.location, body = excluded.body
                where {Table}.owner = excluded.owner and {Table}.status is null
                """, connection);
            command.Parameters.AddWithValue(claim.County);
            command.Parameters.AddWithValue(claim.User);
            command.Parameters.AddWithValue(claim.Key);
            command.Parameters.AddWithValue(claim.RequestHash);
            command.Parameters.AddWithValue(context.Response.StatusCode);
            command.Parameters.AddWithValue((object?)context.Response.ContentType ?? DBNull.Value);
            command.Parameters.AddWithValue(context.Response.Headers.Location.ToString() is { Length: > 0 } location ? location : DBNull.Value);
            command.Parameters.AddWithValue(body);
            command.Parameters.AddWithValue(claim.Owner);
            await command.ExecuteNonQueryAsync();
        }
        catch (Exception e)
        {
            logger.LogError(e, "Could not store the answer for {Header} {Key}", Header, claim.Key);
        }
    }

    /// <summary>Deletes the keys older than the window in every database of the ledger; returns how many.</summary>
    public async Task<int> PurgeExpiredAsync(CancellationToken ct)
    {
        var purged = 0;
        foreach (var database in await store.DatabasesAsync())
        {
            await using var connection = await database.OpenConnectionAsync(ct);
            await using var command = new NpgsqlCommand($"delete from {Table} where created_at < now() - $1", connection);
            command.Parameters.AddWithValue(Window);
            purged += await command.ExecuteNonQueryAsync(ct);
        }
        return purged;
    }

    /// <summary>
    /// The request's fingerprint: method, path and query, <c>If-Match</c> (the version the write
    /// expects: another version is another request) and the body.
    /// </summary>
    private static async Task<string> HashAsync(HttpRequest request)
    {
        request.EnableBuffering();
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var ifMatch = request.Headers.IfMatch.ToString();
        sha.AppendData(System.Text.Encoding.UTF8.GetBytes(
            $"{request.Method} {request.Path}{request.QueryString}{(ifMatch.Length > 0 ? $"\nIf-Match: {ifMatch}" : "")}\n"));
        var buffer = new byte[16 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(buffer)) > 0) sha.AppendData(buffer, 0, read);
        request.Body.Position = 0;
        return Convert.ToHexStringLower(sha.GetHashAndReset());
    }
}

/// <summary>Deletes expired idempotency keys every hour (<see cref="Idempotency.Window"/>).</summary>
public sealed class IdempotencyPurge(Idempotency idempotency, ILogger<IdempotencyPurge> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromHours(1));
        do
        {
            try
            {
                var purged = await idempotency.PurgeExpiredAsync(stoppingToken);
                if (purged > 0) logger.LogInformation("Purged {Count} expired idempotency keys", purged);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogWarning(e, "Could not purge expired idempotency keys; will try again");
            }
        } while (await timer.WaitForNextTickAsync(stoppingToken));
    }
}

/// <summary>
/// Wolverine middleware on every write: claims the request's idempotency key in the same
/// transaction as the events it appends, so the key and the events commit together or not at all.
/// </summary>
public static class IdempotencyMarker
{
    public static void Before(HttpContext context, IDocumentSession session)
    {
        if (context.Items[typeof(Idempotency.Claim)] is Idempotency.Claim claim)
            session.QueueSqlCommand($"insert into {Idempotency.Table} (county, user_name, key, request_hash, owner) values (?, ?, ?, ?, ?)",
                claim.County, claim.User, claim.Key, claim.RequestHash, claim.Owner);
    }
}
