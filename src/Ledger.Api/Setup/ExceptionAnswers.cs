using Ledger.Api.Writes;
using Ledger.Api.Http;
using System.Net.Sockets;
using JasperFx.Events;
using JasperFx.MultiTenancy;
using MartenStreamCollision = Marten.Exceptions.ExistingStreamIdCollisionException;
using Microsoft.AspNetCore.Diagnostics;
using Npgsql;

namespace Ledger.Api.Setup;

/// <summary>
/// Exceptions that are not bugs get an honest answer instead of a 500: a stream started twice by
/// racing requests is a conflict (409); a database that does not answer is a 503. Anything else
/// stays a 500 problem without internals. A county the ledger does not hold is a 403.
/// </summary>
public sealed class ExceptionAnswers(IProblemDetailsService problems, ILogger<ExceptionAnswers> logger) : IExceptionHandler
{
    /// <summary>PostgreSQL gone (refused, reset, shutting down, timed out), however deep Marten or Wolverine wrapped it.</summary>
    private static bool IsDatabaseUnreachable(Exception? e)
    {
        for (; e is not null; e = e.InnerException)
            if (e is SocketException or TimeoutException or NpgsqlException { IsTransient: true }
                or PostgresException { SqlState: PostgresErrorCodes.AdminShutdown or PostgresErrorCodes.CannotConnectNow or PostgresErrorCodes.CrashShutdown })
                return true;
        return false;
    }

    private static bool IsIdempotencyClash(Exception? e)
    {
        for (; e is not null; e = e.InnerException)
            if (e is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation, ConstraintName: "idempotency_pkey" }) return true;
        return false;
    }

    public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken ct)
    {
        var problem = IsIdempotencyClash(exception)
            ? ProblemAnswers.Conflict("a request with the same Idempotency-Key was recorded at the same time; nothing more was recorded")
            : IsDatabaseUnreachable(exception)
            ? ProblemAnswers.Unavailable("数据库暂时不可用 (the database is unavailable); nothing was recorded, try again shortly")
            : exception switch
        {
            JasperFx.ConcurrencyException =>
                ProblemAnswers.Conflict("someone else wrote to this record at the same moment; read it again and retry; nothing was recorded"),
            // A province places each county in a database; a token for a county it does not hold gets no session.
            UnknownTenantIdException unknown =>
                ProblemAnswers.Forbidden($"本账本不含该县 (this ledger holds no county {unknown.TenantId}); nothing was read or recorded"),
            ExistingStreamIdCollisionException or MartenStreamCollision =>
                ProblemAnswers.Conflict("该记录已由另一请求写入 (the record was written by another request at the same time); read it and try again"),
            _ => null,
        };
        if (problem is null) return false;

        // A refusal (4xx) is the caller's business: one line without a stack trace. The database gone (503) is the server's.
        if (problem.Status >= 500)
            logger.LogError(exception, "Answered {Status} for {Path}", problem.Status, context.Request.Path);
        else
            logger.LogInformation("Answered {Status} for {Path}: {Reason}", problem.Status, context.Request.Path, exception.Message);
        context.Response.StatusCode = problem.Status!.Value;
        return await problems.TryWriteAsync(new ProblemDetailsContext { HttpContext = context, ProblemDetails = problem, Exception = exception });
    }
}
