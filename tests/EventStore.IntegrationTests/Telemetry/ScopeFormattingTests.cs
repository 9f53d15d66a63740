using EventStore.Api.Logging;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging.Console;

namespace EventStore.IntegrationTests.Telemetry;

/// <summary>
/// The app's logger factory (AddClientMistakeLogging) in front of .NET's own simple console formatter, configured as in
/// appsettings.json: a scope given as a plain dictionary, as Wolverine gives its message scope, prints as key=value pairs.
/// </summary>
public sealed class ScopeFormattingTests
{
    [Fact]
    public void a_dictionary_scope_prints_its_pairs_not_its_type_name()
    {
        var lines = new StringWriter();
        var services = new ServiceCollection();
        services.AddLogging(logging => logging
            .AddSimpleConsole(o => (o.IncludeScopes, o.SingleLine) = (true, true))
            .AddProvider(new FormattingProvider(lines)));
        services.AddClientMistakeLogging();
        services.AddSingleton(sp => sp.GetServices<ILoggerProvider>().OfType<FormattingProvider>().Single());
        using var provider = services.BuildServiceProvider();
        provider.GetRequiredService<FormattingProvider>().Formatter =
            provider.GetServices<ConsoleFormatter>().Single(f => f.Name == ConsoleFormatterNames.Simple);
        var logger = provider.GetRequiredService<ILoggerFactory>().CreateLogger("Wolverine.Runtime");

        using (logger.BeginScope(new Dictionary<string, object> { ["CorrelationId"] = "c-42", ["MessageType"] = "PlaceOrder" }))
        using (logger.BeginScope("Order {OrderId}", 7))
        {
            logger.LogInformation("Handled {Count}", 1);
        }

        var line = lines.ToString();
        Assert.Contains("CorrelationId=c-42, MessageType=PlaceOrder => Order 7", line, StringComparison.Ordinal);
        Assert.DoesNotContain("System.Collections.Generic.Dictionary", line, StringComparison.Ordinal);
        Assert.Contains("Handled 1", line, StringComparison.Ordinal);
    }

    [Fact]
    public void a_scope_that_prints_itself_and_a_dictionary_keep_their_pairs_for_structured_sinks()
    {
        var formatted = Assert.IsType<ScopeValues>(ScopeValues.Of(new Dictionary<string, object?> { ["A"] = 1.5m, ["B"] = null }));
        Assert.Equal("A=1.5, B=", formatted.ToString());
        Assert.Equal(["A", "B"], formatted.Select(p => p.Key));

        const string text = "plain";
        Assert.Same(text, ScopeValues.Of(text));
    }

    /// <summary>Writes every entry through <see cref="Formatter"/> with the factory's scopes, as the console logger does.</summary>
    private sealed class FormattingProvider(StringWriter output) : ILoggerProvider, ISupportExternalScope
    {
        private IExternalScopeProvider _scopes = new LoggerExternalScopeProvider();

        public StringWriter Output { get; } = output;

        public ConsoleFormatter? Formatter { get; set; }

        public ILogger CreateLogger(string categoryName) => new Writer(this, categoryName);

        public void SetScopeProvider(IExternalScopeProvider scopeProvider) => _scopes = scopeProvider;

        public void Dispose()
        {
        }

        private sealed class Writer(FormattingProvider owner, string category) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state) where TState : notnull => owner._scopes.Push(state);

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
                owner.Formatter?.Write(new LogEntry<TState>(logLevel, category, eventId, state, exception, formatter), owner._scopes, owner.Output);
        }
    }
}
