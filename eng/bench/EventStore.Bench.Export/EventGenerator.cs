using System.Security.Cryptography;
using EventStore.Domain.MarketData;
using EventStore.Domain.Privacy;
using EventStore.Domain.Trading;
using EventStore.Domain.Trading.Accounts;
using EventStore.Domain.Trading.Orders;

namespace EventStore.Bench.Export;

/// <summary>One event as the bench writes it: the domain event, its stream position and the metadata the app stamps.</summary>
internal sealed record GeneratedEvent(
    Guid StreamId, long Version, object Data, DateTimeOffset Timestamp, string CorrelationId, string CausationId, string Actor, string Command);

/// <summary>
/// A deterministic trading day: per tick, a quote for every symbol (random walk), one market order placed and filled, and
/// one deposit. The mix of the app's most frequent events, with realistic sizes (decimals, ids, timestamps, and the client
/// order id sealed under its trader's key as the app stores it; the keys themselves are not stored: the export never
/// opens them).
/// </summary>
internal sealed class EventGenerator
{
    public const int SessionSize = 2_000;

    private static readonly string[] Symbols =
        ["AAPL", "MSFT", "NVDA", "AMZN", "GOOGL", "META", "TSLA", "SPY", "QQQ", "JPM", "V", "MA", "NFLX", "AMD"];

    private readonly Random _random = new(42);
    private readonly Guid[] _users = Enumerable.Range(0, 1_000).Select(_ => Guid.CreateVersion7()).ToArray();
    private readonly PersonalDataProtector _protector = new(RandomNumberGenerator.GetBytes(PersonalDataProtector.KeyBytes));
    private readonly Dictionary<Guid, PersonalDataKey> _keys = [];
    private readonly Dictionary<Guid, long> _versions = [];
    private readonly Dictionary<string, decimal> _prices;
    private DateTimeOffset _clock = new(2026, 1, 5, 14, 30, 0, TimeSpan.Zero);
    private DateTimeOffset _stored = DateTimeOffset.UtcNow;
    private int _inSession;

    public EventGenerator() =>
        _prices = Symbols.ToDictionary(s => s, _ => Math.Round(50m + (decimal)_random.NextDouble() * 400m, 2));

    public List<GeneratedEvent> Next(int count)
    {
        var events = new List<GeneratedEvent>(count);
        while (events.Count < count)
        {
            foreach (var symbol in Symbols)
            {
                _clock = _clock.AddMilliseconds(7);
                var bid = _prices[symbol] = Math.Max(1m, Math.Round(_prices[symbol] + (decimal)(_random.NextDouble() - 0.5), 2));
                Add(events, TradingIds.QuotesOf(symbol), new QuoteReceived(Guid.CreateVersion7(), TradingIds.Instrument(symbol), symbol, bid,
                    bid + 0.02m, _random.Next(1, 50) * 100, _random.Next(1, 50) * 100, _clock, "simulated"), "system:market-data", "RecordQuote");
            }

            var user = _users[_random.Next(_users.Length)];
            var orderSymbol = Symbols[_random.Next(Symbols.Length)];
            var orderId = Guid.CreateVersion7();
            var quantity = _random.Next(1, 100);
            var price = _prices[orderSymbol] + 0.02m;
            Add(events, orderId, new OrderPlaced(orderId, user, Seal(user, $"c-{_random.Next():x8}"), TradingIds.Instrument(orderSymbol), orderSymbol,
                OrderSide.Buy, OrderType.Market, quantity, null, TimeInForce.Day, Math.Round(price * quantity * 1.01m, 2), 0m,
                _clock.Date.AddHours(21), _clock), user.ToString(), "PlaceOrder");
            Add(events, orderId, new OrderFilled(orderId, Guid.CreateVersion7(), user, orderSymbol, OrderSide.Buy, quantity, price, 0.35m,
                quantity, 0m, Guid.CreateVersion7(), _clock, price - 0.02m, price, _clock.AddMilliseconds(3)), "system:broker", "MatchOrder");
            var account = TradingIds.AccountOf(user);
            Add(events, account, new CashDeposited(account, _random.Next(1, 500) * 10m, _clock), user.ToString(), "DepositCash");
        }

        if (events.Count > count)
        {
            // Keep whole ticks out of the next chunk's way: versions already handed out stay consistent.
            foreach (var extra in events.Skip(count))
            {
                _versions[extra.StreamId]--;
            }

            events.RemoveRange(count, events.Count - count);
        }

        return events;
    }

    private SealedText Seal(Guid user, string text)
    {
        if (!_keys.TryGetValue(user, out var key))
        {
            _keys[user] = key = _protector.NewKey(user, _clock);
        }

        return _protector.Seal(key, text);
    }

    private void Add(List<GeneratedEvent> events, Guid stream, object data, string actor, string command)
    {
        if (_inSession++ % SessionSize == 0)
        {
            _stored = _stored.AddMilliseconds(1); // one store timestamp per session of SessionSize events, as one Marten commit
        }

        var version = _versions[stream] = _versions.GetValueOrDefault(stream) + 1;
        events.Add(new GeneratedEvent(stream, version, data, _stored, Guid.CreateVersion7().ToString(), Guid.CreateVersion7().ToString(),
            actor, command));
    }
}
