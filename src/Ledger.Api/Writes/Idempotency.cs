using Ledger.Api.Storage;
using Ledger.Api.Exports;
using Ledger.Api.Http;
using Ledger.Domain.Access;
using System.Security.Cryptography;
using Ledger.Api.Auth;
using Ledger.Api.Setup;
using Marten;
using Marten.Storage;
using Npgsql;

namespace Ledger.Api.Writes;

/// <summary>
/// <c>Idempotency-Key</c> on any POST: a retry with the same key and body gets the first answer
/// again and appends nothing; the same key with another body gets 422. Keys belong to a county and
/// a user. For writes through the ledger's session the key is claimed <em>inside the write's own
/// transaction</em> (<see cref="IdempotencyMarker"/>), so a crash between commit and answer can
/// never let a retry record the same thing twice: the retry then answers 409 instead.
/// </summary>
public sealed class Idempotency(IDocumentStore store, ILogger<Idempotency> logger)
{
    public const string Header = "Idempotency-Key";
    public const string Table = $"{MartenSetup.Schema}.{LedgerTables.IdempotencyName}";

    /// <summary>The key of the request being processed, for the in-transaction claim.</summary>
    public sealed record Claim(string County, string User, string Key, string RequestHash);

    public static async Task Handle(HttpContext context, Func<Task> next)
    {
        var key = context.Request.Headers[Header].ToString();
        if (!HttpMethods.IsPost(context.Request.Method) || string.IsNullOrEmpty(key))
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

    private async Task RunAsync(HttpContext context, string key, Func<Task> next)
    {
        var caller = CallerClaims.From(context.User);
        var claim = new Claim(caller.County.Length > 0 ? caller.County : "public", caller.User.Length > 0 ? caller.User : "anonymous", key,
            await HashAsync(context.Request));
        // Kept in the database of the caller's county, where IdempotencyMarker claims it with the events.
        var database = await store.DatabaseOfAsync(caller.County);
        await using (var connection = await database.OpenConnectionAsync(context.RequestAborted))
        {
            await using var lookup = new NpgsqlCommand(
                $"select request_hash, status, content_type, location, body from {Table} where county = $1 and user_name = $2 and key = $3", connection);
            lookup.Parameters.AddWithValue(claim.County);
            lookup.Parameters.AddWithValue(claim.User);
            lookup.Parameters.AddWithValue(claim.Key);
            await using var reader = await lookup.ExecuteReaderAsync(context.RequestAborted);
            if (await reader.ReadAsync(context.RequestAborted))
            {
                if (reader.GetString(0) != claim.RequestHash)
                {
                    await Results.Problem(ProblemAnswers.Unprocessable($"{Header} '{key}' was used for another request")).ExecuteAsync(context);
                    return;
                }
                if (reader.IsDBNull(1))
                {
                    await Results.Problem(ProblemAnswers.Conflict(
                        $"the request with {Header} '{key}' was recorded but its answer is not stored yet; read the resource, do not resend")).ExecuteAsync(context);
                    return;
                }
                context.Response.StatusCode = reader.GetInt32(1);
                if (!reader.IsDBNull(2)) context.Response.ContentType = reader.GetString(2);
                if (!reader.IsDBNull(3)) context.Response.Headers.Location = reader.GetString(3);
                context.Response.Headers["Idempotent-Replayed"] = "true";
                var stored = reader.IsDBNull(4) ? [] : (byte[])reader[4];
                await context.Response.Body.WriteAsync(stored, context.RequestAborted);
                return;
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

    private async Task StoreAnswerAsync(IMartenDatabase database, Claim claim, HttpContext context, byte[] body)
    {
        try
        {
            await using var connection = await database.OpenConnectionAsync(CancellationToken.None);
            await using var command = new NpgsqlCommand($"""
                insert into {Table} (county, user_name, key, request_hash, status, content_type, location, body)
                values ($1, $2, $3, $4, $5, $6, $7, $8)
                on conflict (county, user_name, key) do update set status = excluded.status, content_type = excluded.content_type,
                    location = excluded.location, body = excluded.body
                where {Table}.request_hash = excluded.request_hash
                """, connection);
            command.Parameters.AddWithValue(claim.County);
            command.Parameters.AddWithValue(claim.User);
            command.Parameters.AddWithValue(claim.Key);
            command.Parameters.AddWithValue(claim.RequestHash);
            command.Parameters.AddWithValue(context.Response.StatusCode);
            command.Parameters.AddWithValue((object?)context.Response.ContentType ?? DBNull.Value);
            command.Parameters.AddWithValue(context.Response.Headers.Location.ToString() is { Length: > 0 } location ? location : DBNull.Value);
            command.Parameters.AddWithValue(body);
            await command.ExecuteNonQueryAsync();
        }
        catch (Exception e)
        {
            logger.LogError(e, "Could not store the answer for {Header} {Key}", Header, claim.Key);
        }
    }

    private static async Task<string> HashAsync(HttpRequest request)
    {
        request.EnableBuffering();
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        sha.AppendData(System.Text.Encoding.UTF8.GetBytes($"{request.Method} {request.Path}{request.QueryString}\n"));
        var buffer = new byte[16 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(buffer)) > 0) sha.AppendData(buffer, 0, read);
        request.Body.Position = 0;
        return Convert.ToHexStringLower(sha.GetHashAndReset());
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
            session.QueueSqlCommand($"insert into {Idempotency.Table} (county, user_name, key, request_hash) values (?, ?, ?, ?)",
                claim.County, claim.User, claim.Key, claim.RequestHash);
    }
}
