using System.Collections.Concurrent;
using System.Diagnostics;

namespace EventStore.IntegrationTests.Infrastructure;

/// <summary>
/// Counts the SQL commands (database round trips) of one GraphQL request: every command or batch Npgsql executes, seen on
/// Npgsql's own ActivitySource ("Npgsql") and told apart from the app's background work (daemon, durability agent) by the
/// request's trace id, sent as a W3C traceparent. Listens to ASP.NET Core's activities too, so that the trace id reaches
/// the commands. Used by RoundTripBudgetTests and BatchLoadingTests; never timing.
/// </summary>
public sealed class NpgsqlCommandCounter : IDisposable
{
    private readonly ConcurrentQueue<(ActivityTraceId Trace, string Text)> _commands = new();
    private readonly ActivityListener _listener;

    public NpgsqlCommandCounter()
    {
        _listener = new ActivityListener
        {
            ShouldListenTo = s => s.Name is "Npgsql" or "Microsoft.AspNetCore",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllData,
            ActivityStopped = a =>
            {
                if (a.Source.Name == "Npgsql")
                {
                    var text = a.GetTagItem("db.query.text") ?? a.GetTagItem("db.statement") ?? a.DisplayName;
                    _commands.Enqueue((a.TraceId, OneLine(text?.ToString() ?? "")));
                }
            },
        };
        ActivitySource.AddActivityListener(_listener);
    }

    /// <summary>Sends one request under a trace id of its own and returns the commands executed under it, in order.</summary>
    public async Task<(GraphQLResponse Response, IReadOnlyList<string> Commands)> CountAsync(AppFixture app,
        Func<GraphQLClient, Task<GraphQLResponse>> send)
    {
        var trace = ActivityTraceId.CreateRandom();
        var response = await send(GraphQLClient.Traced(app.Host, trace));
        return (response, [.. _commands.Where(c => c.Trace == trace).Select(c => c.Text)]);
    }

    public void Dispose() => _listener.Dispose();

    /// <summary>
    /// The request's own commands: the session check (<c>SessionGuard</c>, one batch reading the user's security row and
    /// live sessions) is left out. It is served from the node's cache and reads the database only when the entry is
    /// missing (just after a security notification about the user evicted it): at most one round trip, asserted here.
    /// </summary>
    public static List<string> WithoutSessionCheck(IReadOnlyList<string> commands)
    {
        var sessionChecks = commands.Count(c => c.Contains("mt_doc_usersecurity", StringComparison.Ordinal));
        Assert.True(sessionChecks <= 1, $"The session check took {sessionChecks} round trips:\n{string.Join("\n", commands)}");
        return commands.Where(c => !c.Contains("mt_doc_usersecurity", StringComparison.Ordinal)).ToList();
    }

    private static string OneLine(string sql)
    {
        var line = string.Join(' ', sql.Split((char[])['\n', '\r', '\t'], StringSplitOptions.RemoveEmptyEntries)).Trim();
        return line.Length > 240 ? line[..240] + "…" : line;
    }
}

internal sealed class TraceParentHandler(string traceparent, HttpMessageHandler inner) : DelegatingHandler(inner)
{
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        request.Headers.Add("traceparent", traceparent);
        return base.SendAsync(request, cancellationToken);
    }
}
