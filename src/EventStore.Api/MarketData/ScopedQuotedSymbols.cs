using EventStore.Domain.MarketData;

namespace EventStore.Api.MarketData;

/// <summary>
/// Lets the singleton simulated feed read the symbols from the Trading module's <see cref="IQuotedSymbols"/>, which
/// may be scoped (it reads a Marten session): one short scope per read.
/// </summary>
internal sealed class ScopedQuotedSymbols(IServiceScopeFactory scopes) : IQuotedSymbols
{
    public async Task<IReadOnlyList<QuotedSymbol>> GetAsync(CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<IQuotedSymbols>().GetAsync(ct);
    }
}
