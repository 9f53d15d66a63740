namespace EventStore.Api.Database;

/// <summary>
/// Work that runs once every hosted service (Marten schema, Wolverine runtime, daemon) has started: the admin bootstrap
/// and the instrument catalogue. Only <see cref="StartedAsync"/> does anything.
/// </summary>
public abstract class StartupTask : IHostedLifecycleService
{
    public abstract Task StartedAsync(CancellationToken cancellationToken);

    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
