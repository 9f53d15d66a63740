using EventStore.Domain.MarketData;
using Wolverine;

namespace EventStore.Api.MarketData;

/// <summary>Where the pump delivers what it decided to keep. In the app: the Trading module's handlers, via Wolverine.</summary>
public interface IQuoteSink
{
    Task RecordAsync(RecordQuote command, CancellationToken ct);

    Task MarkStaleAsync(MarkQuotesStale command, CancellationToken ct);
}

/// <summary>Invokes the Trading module's handlers inline, so a failure reaches the pump (which logs it and goes on).</summary>
public sealed class MessageBusQuoteSink(IMessageBus bus) : IQuoteSink
{
    public Task RecordAsync(RecordQuote command, CancellationToken ct) => bus.InvokeAsync(command, ct);

    public Task MarkStaleAsync(MarkQuotesStale command, CancellationToken ct) => bus.InvokeAsync(command, ct);
}
