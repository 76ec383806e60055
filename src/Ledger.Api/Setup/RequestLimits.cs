using Ledger.Api.Writes;
using Ledger.Api.Http;
using System.Threading.RateLimiting;
using Ledger.Api.Tips;
using Microsoft.AspNetCore.RateLimiting;

namespace Ledger.Api.Setup;

/// <summary>
/// Limits on what a request may be: a body larger than its route allows answers 413 before anything
/// reads it; the public routes are rate-limited per client address (429). Both as problem details.
/// </summary>
public static class RequestLimits
{
    public const long DefaultMaxBody = 1024 * 1024;
    public const long ImportMaxBody = 20 * 1024 * 1024;

    public static long MaxBodyFor(HttpRequest request) =>
        request.Path.StartsWithSegments("/api/tips") ? SubmitTipEndpoint.MaxBodyBytes
        : request.Path.StartsWithSegments("/api/registry/import") ? ImportMaxBody
        : DefaultMaxBody;

    /// <summary>
    /// Reads a write's body up to its route's limit before anything else sees it (declared length or
    /// not, chunked or not): one byte more answers 413. The endpoint then reads the buffered copy.
    /// </summary>
    public static async Task EnforceBodySize(HttpContext context, Func<Task> next)
    {
        var request = context.Request;
        if (HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method) || request.ContentLength == 0)
        {
            await next();
            return;
        }
        var max = MaxBodyFor(request);
        if (request.ContentLength > max)
        {
            await TooLarge(context, max);
            return;
        }
        var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, context.RequestAborted)) > 0)
        {
            buffer.Write(chunk, 0, read);
            if (buffer.Length > max)
            {
                await TooLarge(context, max);
                return;
            }
        }
        buffer.Position = 0;
        request.Body = buffer;
        await next();
    }

    private static Task TooLarge(HttpContext context, long max)
    {
        context.Response.StatusCode = StatusCodes.Status413PayloadTooLarge;
        return Results.Problem(ProblemAnswers.TooLarge(max)).ExecuteAsync(context);
    }

    public static void AddLedgerRateLimits(this IServiceCollection services, IConfiguration configuration)
    {
        var perMinute = configuration.GetValue("Ledger:Public:PermitsPerMinute", 10);
        services.AddRateLimiter(options =>
        {
            options.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            options.AddPolicy(SubmitTipEndpoint.RateLimit, context => RateLimitPartition.GetFixedWindowLimiter(
                context.Connection.RemoteIpAddress?.ToString() ?? "unknown",
                _ => new FixedWindowRateLimiterOptions { PermitLimit = perMinute, Window = TimeSpan.FromMinutes(1), QueueLimit = 0 }));
            options.OnRejected = async (rejected, ct) =>
            {
                rejected.HttpContext.Response.Headers.RetryAfter = "60";
                await Results.Problem(ProblemAnswers.TooMany()).ExecuteAsync(rejected.HttpContext);
            };
        });
    }
}
