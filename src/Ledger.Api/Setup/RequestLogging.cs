using System.Collections;
using System.Diagnostics;
using System.Text.Json;
using Ledger.Api.Auth;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging.Console;

namespace Ledger.Api.Setup;

/// <summary>
/// How the ledger logs (docs/deploy.md, "Logs"): every line written while a request is served carries its
/// correlation id, county and user (a logging scope); <c>Ledger:Logging:Json=true</c> writes one JSON object per line
/// with them as fields. A client's mistake is not a server error: a request body that is not valid JSON is logged at
/// Information with the parser's message and no stack trace (Wolverine logs it at Error with the exception); answers of
/// 5xx stay at Error with their exception.
/// </summary>
public static class RequestLogging
{
    public const string JsonSetting = "Ledger:Logging:Json";
    /// <summary>The header a caller (or a proxy) may send to tie its requests together; Wolverine reads the same one.</summary>
    public const string CorrelationHeader = "X-Correlation-ID";

    public static void AddLedgerLogging(this WebApplicationBuilder builder)
    {
        if (builder.Configuration.GetValue<bool>(JsonSetting))
        {
            builder.Logging.ClearProviders();
            builder.Logging.AddJsonConsole(options =>
            {
                options.IncludeScopes = true;
                options.UseUtcTimestamp = true;
                options.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ";
                options.JsonWriterOptions = new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
            });
        }
        else
        {
            builder.Services.Configure<SimpleConsoleFormatterOptions>(options => options.IncludeScopes = true);
        }
        // Every ILogger<T> (Wolverine's too) goes through the one that tells a client's bad body from a server error.
        builder.Services.Replace(ServiceDescriptor.Singleton(typeof(ILogger<>), typeof(LedgerLogger<>)));
    }

    /// <summary>The request's scope, opened before anything else so that even the exception handler's lines carry it.</summary>
    public static async Task Scope(HttpContext context, RequestDelegate next)
    {
        var logger = context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger("Ledger.Api.Requests");
        using (logger.BeginScope(new RequestScope(context))) await next(context);
    }

    /// <summary>
    /// The correlation id (the caller's <c>X-Correlation-ID</c>, else the trace's id), and the county and user of the
    /// token: read when a line is written, so lines after authentication name who asked.
    /// </summary>
    private sealed class RequestScope(HttpContext context) : IReadOnlyList<KeyValuePair<string, object?>>
    {
        private readonly string _correlationId = context.Request.Headers[CorrelationHeader].FirstOrDefault() is { Length: > 0 and <= 128 } given
            ? given
            : Activity.Current?.RootId ?? context.TraceIdentifier;

        private KeyValuePair<string, object?>[] Values() =>
        [
            new("CorrelationId", _correlationId),
            new("County", context.User.FindFirst(LedgerClaims.County)?.Value),
            new("User", context.User.FindFirst(LedgerClaims.User)?.Value),
        ];

        public int Count => 3;
        public KeyValuePair<string, object?> this[int index] => Values()[index];
        public IEnumerator<KeyValuePair<string, object?>> GetEnumerator() => ((IEnumerable<KeyValuePair<string, object?>>)Values()).GetEnumerator();
        IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
        public override string ToString() => string.Join(" ", Values().Select(v => $"{v.Key}:{v.Value ?? "-"}"));
    }
}

/// <summary>
/// <see cref="Logger{T}"/>, except that Wolverine's Error line for a request body it could not read as JSON (a client's
/// mistake, answered 400) becomes an Information line with the parser's message and no stack trace.
/// </summary>
public sealed class LedgerLogger<T>(ILoggerFactory factory) : ILogger<T>
{
    private const string UnreadableBody = "Error trying to deserialize JSON from incoming HTTP body";
    private readonly ILogger<T> _inner = new Logger<T>(factory);

    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => _inner.BeginScope(state);

    public bool IsEnabled(LogLevel logLevel) => _inner.IsEnabled(logLevel);

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        if (logLevel >= LogLevel.Error && IsClientsBadBody(state, exception))
        {
            _inner.Log(LogLevel.Information, eventId, state, null,
                (s, _) => $"Refused a request body that is not valid JSON (400): {formatter(s, null)["Error trying to ".Length..]}: {exception!.Message}");
            return;
        }
        _inner.Log(logLevel, eventId, state, exception, formatter);
    }

    private static bool IsClientsBadBody<TState>(TState state, Exception? exception)
    {
        if (exception is null || state is not IReadOnlyList<KeyValuePair<string, object?>> values) return false;
        if (!values.Any(v => v.Key == "{OriginalFormat}" && v.Value is string format && format.StartsWith(UnreadableBody, StringComparison.Ordinal)))
            return false;
        for (var e = exception; e is not null; e = e.InnerException)
            if (e is JsonException or BadHttpRequestException or FormatException or OperationCanceledException) return true;
        return false;
    }
}
