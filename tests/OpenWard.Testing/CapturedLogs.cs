using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace OpenWard.Testing;

/// <summary>A logger provider that keeps every message the server logs (formatted, with any exception), for scanning.</summary>
public sealed class CapturedLogs : ILoggerProvider
{
    private readonly ConcurrentQueue<string> messages = new();

    public IReadOnlyCollection<string> Messages => messages;

    public ILogger CreateLogger(string categoryName) => new Capture(categoryName, messages);

    public void Dispose()
    {
    }

    private sealed class Capture(string category, ConcurrentQueue<string> messages) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            messages.Enqueue($"{category} {logLevel}: {formatter(state, exception)} {exception}");
    }
}
