using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace EventStore.Api.Logging;

/// <summary>
/// A logger factory in front of the usual one that fixes two habits of the libraries we host:
/// <list type="bullet">
/// <item>Wolverine logs every failed inline command at Error ("Invocation of {Message} failed!"), and Marten every failed
/// SQL command, client mistakes included (a validation failure, a taken username). Those are client errors, answered
/// with a code: they are written at Information, without a stack trace (<see cref="ClientMistakes"/>).</item>
/// <item>Wolverine's line renders the command with its ToString, which holds personal data (a password, an e-mail
/// address). The line names the command's type instead, whatever the level.</item>
/// <item>A scope given as a plain dictionary (Wolverine's) prints as its key=value pairs, not its type name (<see cref="ScopeValues"/>).</item>
/// </list>
/// Everything else passes through unchanged.
/// </summary>
public static class ClientMistakeLogging
{
    private const string WolverineInvocationFailed = "Invocation of {Message} failed!";

    public static IServiceCollection AddClientMistakeLogging(this IServiceCollection services)
    {
        services.Replace(ServiceDescriptor.Singleton<ILoggerFactory>(sp => new Factory(new LoggerFactory(
            sp.GetServices<ILoggerProvider>(), sp.GetRequiredService<IOptionsMonitor<LoggerFilterOptions>>(),
            sp.GetService<IOptions<LoggerFactoryOptions>>(), sp.GetService<IExternalScopeProvider>()))));
        return services;
    }

    private sealed class Factory(ILoggerFactory inner) : ILoggerFactory
    {
        public ILogger CreateLogger(string categoryName) => new Logger(inner.CreateLogger(categoryName));

        public void AddProvider(ILoggerProvider provider) => inner.AddProvider(provider);

        public void Dispose() => inner.Dispose();
    }

    private sealed class Logger(ILogger inner) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => inner.BeginScope(ScopeValues.Of(state));

        public bool IsEnabled(LogLevel logLevel) => inner.IsEnabled(logLevel);

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception,
            Func<TState, Exception?, string> formatter)
        {
            var command = WolverineCommand(state);
            var refusal = logLevel >= LogLevel.Error ? ClientMistakes.Classify(exception) : null;
            if (refusal is not null)
            {
                if (!inner.IsEnabled(LogLevel.Information))
                {
                    return;
                }

                var what = command is not null ? $"Command {command}" : formatter(state, null);
                inner.Log(LogLevel.Information, eventId, "{What} refused ({Refusal}: {Exception}); a client error, not a fault",
                    what, refusal, exception!.GetType().Name);
            }
            else if (command is not null)
            {
                inner.Log(logLevel, eventId, exception, "Invocation of {MessageType} failed", command);
            }
            else
            {
                inner.Log(logLevel, eventId, state, exception, formatter);
            }
        }

        /// <summary>The command's type name when this is Wolverine's failed-invocation line.</summary>
        private static string? WolverineCommand<TState>(TState state)
        {
            if (state is not IReadOnlyList<KeyValuePair<string, object?>> values)
            {
                return null;
            }

            string? format = null;
            object? message = null;
            foreach (var (key, value) in values)
            {
                if (key == "{OriginalFormat}")
                {
                    format = value as string;
                }
                else if (key == "Message")
                {
                    message = value;
                }
            }

            return format == WolverineInvocationFailed ? message?.GetType().Name ?? "(none)" : null;
        }
    }
}
