using EventStore.Api.Database;
using Npgsql;

namespace EventStore.Api.Auth.Sessions;

/// <summary>
/// The cluster-wide half of the invalidation: one connection per node LISTENs on
/// <see cref="SecurityChangeListener.Channel"/> and drops the entry of every user named there. While the connection is
/// down the node may miss notifications, so it clears its whole cache whenever it (re)starts listening: a token then
/// costs one load again, never a stale answer.
/// </summary>
public sealed class SecurityNotifications(PostgresConnectionSource connections, SecurityCache cache,
    ILogger<SecurityNotifications> logger) : BackgroundService
{
    private static readonly TimeSpan KeepAlive = TimeSpan.FromSeconds(30);
    private readonly TaskCompletionSource _listening = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes once this node receives notifications (tests wait on it before revoking on another node).</summary>
    public Task Listening => _listening.Task;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var builder = new NpgsqlConnectionStringBuilder(connections.ConnectionString)
                {
                    Pooling = false, KeepAlive = (int)KeepAlive.TotalSeconds,
                };
                await using var connection = new NpgsqlConnection(builder.ConnectionString);
                await connection.OpenAsync(stoppingToken);
                connection.Notification += (_, e) =>
                {
                    if (Guid.TryParse(e.Payload, out var user))
                    {
                        cache.Invalidate(user);
                    }
                };
                await using (var listen = new NpgsqlCommand($"listen {SecurityChangeListener.Channel}", connection))
                {
                    await listen.ExecuteNonQueryAsync(stoppingToken);
                }

                cache.Clear();
                _listening.TrySetResult();
                while (!stoppingToken.IsCancellationRequested)
                {
                    await connection.WaitAsync(stoppingToken);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                cache.Clear();
                logger.LogWarning(e, "Session invalidation: lost the notification connection; retrying");
                try
                {
                    await Task.Delay(TimeSpan.FromSeconds(1), stoppingToken);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }
}
