using Microsoft.Extensions.Logging;

namespace EventStore.IntegrationTests.MarketData;

/// <summary>Keeps every formatted log line (and exception text), so a test can check what would reach the logs.</summary>
internal sealed class RecordingLogger<T> : ILogger<T>
{
    private readonly List<string> _lines;

    public RecordingLogger(List<string> lines) => _lines = lines;

    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        lock (_lines)
        {
            _lines.Add($"{logLevel}: {formatter(state, exception)} {exception}");
        }
    }
}
