using Microsoft.Extensions.Options;
using Npgsql;

namespace EventStore.Api.Auditing;

/// <summary>Extends the chain every `Audit:LedgerInterval`. A failed round is logged and retried on the next tick.</summary>
public sealed class LedgerBuilder(AuditLedger ledger, IOptions<AuditOptions> options, TimeProvider time, ILogger<LedgerBuilder> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.LedgerInterval, time);
        do
        {
            try
            {
                await ledger.CatchUpAsync(stoppingToken);
            }
            catch (Exception e) when (e is NpgsqlException or TimeoutException or InvalidOperationException && !stoppingToken.IsCancellationRequested)
            {
                logger.LogWarning(e, "Extending the audit hash chain failed; retrying in {Interval}", options.Value.LedgerInterval);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }
}
