using Microsoft.Extensions.Logging;
using System.Collections.Concurrent;

namespace Ledger.Tests.Fixtures;

/// <summary>One line the host logged: its level, category, message, exception and the scope values it was written in.</summary>
public sealed record LoggedLine(LogLevel Level, string Category, string Message, Exception? Exception, IReadOnlyDictionary<string, string?> Scope);

/// <summary>Every line the test host logs, kept in memory with the values of its logging scopes (what a JSON log line carries).</summary>
public sealed class CapturedLogs : ILoggerProvider, ISupportExternalScope
{
    private readonly ConcurrentQueue<LoggedLine> _lines = new();
    private IExternalScopeProvider _scopes = new LoggerExternalScopeProvider();

    public IReadOnlyList<LoggedLine> Lines => [.. _lines];
    public void Clear() => _lines.Clear();

    public ILogger CreateLogger(string categoryName) => new Capturing(this, categoryName);
    public void SetScopeProvider(IExternalScopeProvider scopeProvider) => _scopes = scopeProvider;
    public void Dispose() { }

    private sealed class Capturing(CapturedLogs logs, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => logs._scopes.Push(state);
        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var scope = new Dictionary<string, string?>();
            logs._scopes.ForEachScope((value, values) =>
            {
                if (value is IEnumerable<KeyValuePair<string, object?>> pairs)
                    foreach (var (key, item) in pairs) values[key] = item?.ToString();
            }, scope);
            logs._lines.Enqueue(new LoggedLine(logLevel, category, formatter(state, exception), exception, scope));
        }
    }
}
