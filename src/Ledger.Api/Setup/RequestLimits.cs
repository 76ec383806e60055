using System.Net;
using System.Net.Sockets;
using Ledger.Api.Http;
using System.Threading.RateLimiting;
using Ledger.Api.Tips;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.AspNetCore.Http.Timeouts;
using Microsoft.AspNetCore.RateLimiting;

namespace Ledger.Api.Setup;

/// <summary>
/// Limits on what a request may be: a body larger than its route allows answers 413 (read only after
/// the caller was authenticated and authorised, so an anonymous request never has its body read);
/// the public routes are rate-limited per client (429); heavy reads are bounded in number and time
/// (<see cref="HeavyRoutes"/>). All as problem details.
/// </summary>
public static class RequestLimits
{
    public const long DefaultMaxBody = 1024 * 1024;
    public const long ImportMaxBody = 20 * 1024 * 1024;

    /// <summary>Configuration of the reverse proxies whose <c>X-Forwarded-For</c> is believed.</summary>
    public const string ProxiesSection = "Ledger:Proxies";

    /// <summary>
    /// Routes that stream their body themselves and enforce their own limit while reading it (the
    /// evidence upload, up to <c>Ledger:Evidence:MaxBytes</c>): never buffered here, nor hashed for
    /// idempotency (content-addressed, an upload repeated stores nothing new).
    /// </summary>
    public static bool Streams(HttpRequest request) =>
        HttpMethods.IsPost(request.Method) && request.Path.Equals(Ledger.Api.EvidenceFiles.UploadEvidenceEndpoint.Route, StringComparison.OrdinalIgnoreCase);

    public static long MaxBodyFor(HttpRequest request) =>
        request.Path.Equals(UploadTipPhotoEndpoint.Route, StringComparison.OrdinalIgnoreCase) ? UploadTipPhotoEndpoint.MaxBodyBytes
        : request.Path.StartsWithSegments("/api/tips") ? SubmitTipEndpoint.MaxBodyBytes
        : request.Path.StartsWithSegments("/api/registry/import") ? ImportMaxBody
        : DefaultMaxBody;

    /// <summary>
    /// Reads a write's body up to its route's limit before the endpoint sees it (declared length or
    /// not, chunked or not): one byte more answers 413. The endpoint then reads the buffered copy.
    /// Runs after authorisation, so a caller without a valid token (401) or the role (403) is
    /// answered before a byte of the body is read; a path that matches no route is never buffered.
    /// </summary>
    public static async Task EnforceBodySize(HttpContext context, Func<Task> next)
    {
        var request = context.Request;
        if (HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method) || request.ContentLength == 0
            || context.GetEndpoint() is null || Streams(request))
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

    /// <summary>
    /// Who the client is, for rate limits and refusal counts: its address, an IPv6 address by its
    /// /64 (what one subscriber is given: rotating within it gains nothing), an IPv4-mapped IPv6
    /// address as the IPv4 address. Behind a configured proxy this is the forwarded client address.
    /// </summary>
    public static string ClientKey(IPAddress? address)
    {
        if (address is null) return "unknown";
        if (address.IsIPv4MappedToIPv6) address = address.MapToIPv4();
        if (address.AddressFamily != AddressFamily.InterNetworkV6) return address.ToString();
        var bytes = address.GetAddressBytes();
        Array.Clear(bytes, 8, 8);
        return $"{new IPAddress(bytes)}/64";
    }

    /// <summary>
    /// <c>X-Forwarded-For</c> is believed only from the proxies configured under
    /// <c>Ledger:Proxies:KnownProxies</c> (addresses) and <c>Ledger:Proxies:KnownNetworks</c> (CIDR
    /// ranges), comma-separated; by default from none (ASP.NET Core would trust loopback). Only the
    /// last <c>Ledger:Proxies:ForwardLimit</c> hops (default 1) are read.
    /// </summary>
    public static bool AddLedgerForwardedHeaders(this IServiceCollection services, IConfiguration configuration)
    {
        var section = configuration.GetSection(ProxiesSection);
        static string[] List(string? value) => (value ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var proxies = List(section["KnownProxies"]).Select(p => IPAddress.TryParse(p, out var a) ? a
            : throw new InvalidOperationException($"{ProxiesSection}:KnownProxies: '{p}' is not an IP address")).ToList();
        var networks = List(section["KnownNetworks"]).Select(n => System.Net.IPNetwork.TryParse(n, out var net) ? net
            : throw new InvalidOperationException($"{ProxiesSection}:KnownNetworks: '{n}' is not a CIDR range")).ToList();
        var limit = section.GetValue("ForwardLimit", 1);
        services.Configure<ForwardedHeadersOptions>(options =>
        {
            options.ForwardedHeaders = ForwardedHeaders.XForwardedFor;
            options.KnownProxies.Clear();
            options.KnownIPNetworks.Clear();
            foreach (var proxy in proxies) options.KnownProxies.Add(proxy);
            foreach (var network in networks) options.KnownIPNetworks.Add(network);
            options.ForwardLimit = limit;
        });
        return proxies.Count + networks.Count > 0;
    }

    public static void AddLedgerRateLimits(this IServiceCollection services, IConfiguration configuration)
    {
        var perMinute = configuration.GetValue("Ledger:Public:PermitsPerMinute", 10);
        var heavy = HeavySettings.From(configuration);
        services.AddSingleton(heavy);
        services.AddRateLimiter(options =>
        {
            options.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            options.AddPolicy(SubmitTipEndpoint.RateLimit, context => RateLimitPartition.GetFixedWindowLimiter(
                ClientKey(context.Connection.RemoteIpAddress),
                _ => new FixedWindowRateLimiterOptions { PermitLimit = perMinute, Window = TimeSpan.FromMinutes(1), QueueLimit = 0 }));
            // Heavy reads: at most N at once per group, whoever asks; others are answered at once.
            options.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(context =>
                HeavyRoutes.GroupOf(context) is { } group
                    ? RateLimitPartition.GetConcurrencyLimiter(group,
                        _ => new ConcurrencyLimiterOptions { PermitLimit = heavy.ConcurrentRequests, QueueLimit = 0 })
                    : RateLimitPartition.GetNoLimiter(""));
            options.OnRejected = async (rejected, _) =>
            {
                var context = rejected.HttpContext;
                var group = HeavyRoutes.GroupOf(context);
                context.Response.Headers.RetryAfter = group is null ? "60" : heavy.RetryAfterSeconds.ToString();
                await Results.Problem(group is null ? ProblemAnswers.TooMany() : ProblemAnswers.TooBusy(group, heavy.RetryAfterSeconds))
                    .ExecuteAsync(context);
            };
        });
        services.AddRequestTimeouts(options => options.AddPolicy(HeavyRoutes.Timeout, new RequestTimeoutPolicy
        {
            Timeout = heavy.Timeout,
            TimeoutStatusCode = StatusCodes.Status503ServiceUnavailable,
            WriteTimeoutResponse = context =>
            {
                context.Response.Headers.RetryAfter = heavy.RetryAfterSeconds.ToString();
                return Results.Problem(ProblemAnswers.Unavailable(
                    $"the request took longer than {heavy.Timeout.TotalSeconds:0} s and was stopped; ask for a smaller range or try again later")).ExecuteAsync(context);
            },
        }));
    }
}

/// <summary>
/// How heavy reads are bounded (<c>Ledger:Heavy</c>): <c>ConcurrentRequests</c> at once per group
/// (default 2), each stopped after <c>TimeoutSeconds</c> (default 120); a refused one is told to come
/// back after <c>RetryAfterSeconds</c> (default 5).
/// </summary>
public sealed record HeavySettings(int ConcurrentRequests, TimeSpan Timeout, int RetryAfterSeconds)
{
    public const string Section = "Ledger:Heavy";

    public static HeavySettings From(IConfiguration configuration)
    {
        var section = configuration.GetSection(Section);
        var settings = new HeavySettings(section.GetValue("ConcurrentRequests", 2), TimeSpan.FromSeconds(section.GetValue("TimeoutSeconds", 120.0)),
            section.GetValue("RetryAfterSeconds", 5));
        if (settings.ConcurrentRequests < 1 || settings.Timeout <= TimeSpan.Zero || settings.RetryAfterSeconds < 1)
            throw new InvalidOperationException($"{Section}: ConcurrentRequests, TimeoutSeconds and RetryAfterSeconds must be positive");
        return settings;
    }
}

/// <summary>When a route's request is heavy: always, only as CSV (<c>Accept: text/csv</c>), or only as of a past point (<c>asOf</c> or <c>version</c>).</summary>
public enum HeavyWhen { Always, AsCsv, AsOfThePast }

/// <summary>
/// Marks a heavy read — exports, verification, digests and proofs, replays — and the group whose
/// concurrency limit it counts against. Put <c>[RequestTimeout(HeavyRoutes.Timeout)]</c> beside it.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class HeavyAttribute(string group, HeavyWhen when = HeavyWhen.Always) : Attribute
{
    public string Group { get; } = group;
    public HeavyWhen When { get; } = when;
}

/// <summary>The groups of heavy routes; each has its own concurrency limit.</summary>
public static class HeavyRoutes
{
    /// <summary>The request-timeout policy of heavy routes.</summary>
    public const string Timeout = "heavy";
    public const string Exports = "exports";
    public const string Verify = "verify";
    public const string Digest = "digest";
    public const string Replay = "replay";

    /// <summary>The heavy group this request counts against, or null when it is not heavy.</summary>
    public static string? GroupOf(HttpContext context)
    {
        if (context.GetEndpoint()?.Metadata.GetMetadata<HeavyAttribute>() is not { } heavy) return null;
        var query = context.Request.Query;
        return heavy.When switch
        {
            HeavyWhen.AsCsv => Ledger.Api.Exports.Table.WantsCsv(context) ? heavy.Group : null,
            HeavyWhen.AsOfThePast => query.ContainsKey("asOf") || query.ContainsKey("version") ? heavy.Group : null,
            _ => heavy.Group,
        };
    }
}
