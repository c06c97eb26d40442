using System.Collections;
using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Portal.Tests;

/// <summary>One log entry as text: the formatted message, every structured value on its own, and the exception.</summary>
public sealed record CapturedLog(string Category, LogLevel Level, string Message, string Values, string? Exception)
{
    public string AllText => $"{Message}\n{Values}\n{Exception}";
}

/// <summary>
/// Keeps every log entry of every category, and the text of every scope, for tests that look for what must never be
/// logged. Values are kept apart from the message, so one that a message template leaves out is still seen.
/// </summary>
public sealed class CapturingLoggerProvider : ILoggerProvider
{
    private readonly ConcurrentQueue<CapturedLog> _entries = new();
    private readonly ConcurrentQueue<string> _scopes = new();

    public IReadOnlyList<CapturedLog> Entries => [.. _entries];

    public IReadOnlyList<string> Scopes => [.. _scopes];

    /// <summary>Everything captured, as one list of texts.</summary>
    public IEnumerable<string> AllText => Entries.Select(entry => entry.AllText).Concat(Scopes);

    public ILogger CreateLogger(string categoryName) => new CapturingLogger(this, categoryName);

    public void Dispose()
    {
    }

    private static string Describe(object? state) => state switch
    {
        IEnumerable<KeyValuePair<string, object?>> values => string.Join("\n", values.Select(value => $"{value.Key}={Describe(value.Value)}")),
        string text => text,
        IEnumerable items => string.Join(", ", items.Cast<object?>().Select(Describe)),
        _ => state?.ToString() ?? "",
    };

    private sealed class CapturingLogger(CapturingLoggerProvider provider, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull
        {
            provider._scopes.Enqueue($"{state}\n{Describe(state)}");
            return null;
        }

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            provider._entries.Enqueue(new CapturedLog(category, logLevel, formatter(state, exception), Describe(state), exception?.ToString()));
    }
}
