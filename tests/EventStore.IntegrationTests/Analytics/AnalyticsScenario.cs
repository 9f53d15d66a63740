using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using EventStore.IntegrationTests.Infrastructure;
using EventStore.IntegrationTests.Trading;
using EventStore.IntegrationTests.Users;

namespace EventStore.IntegrationTests.Analytics;

/// <summary>
/// A scripted trading day: three traders buy AAPL (and one MSFT) at the ask, sell AAPL at the bid after the price moves
/// (two gain, one loses), and a fourth user only registers and deposits. Returns who is who.
/// </summary>
public static class AnalyticsScenario
{
    public sealed record Trader(string Username, Guid Id, string Token);

    public static async Task<IReadOnlyList<Trader>> RunAsync(AppFixture app, GraphQLClient client)
    {
        var traders = new List<Trader>();
        foreach (var name in new[] { "stats.alice", "stats.bob", "stats.carol", "stats.dave" })
        {
            var (id, token) = await client.RegisterAndLogInAsync(name);
            await client.DepositAsync(token, 10_000m);
            traders.Add(new Trader(name, id, token));
        }

        var (alice, bob, carol) = (traders[0].Token, traders[1].Token, traders[2].Token);
        await app.QuoteAsync("AAPL", 99.90m, 100.00m);
        await app.QuoteAsync("MSFT", 409.90m, 410.00m);
        (await client.PlaceAsync(alice, "st-1", "BUY", "MARKET", 10)).Ok("placeOrder");
        (await client.PlaceAsync(bob, "st-2", "BUY", "MARKET", 6)).Ok("placeOrder");
        (await client.PlaceAsync(carol, "st-3", "BUY", "MARKET", 4)).Ok("placeOrder");
        (await client.PlaceAsync(carol, "st-4", "BUY", "MARKET", 3, symbol: "MSFT")).Ok("placeOrder");
        await app.QuoteAsync("AAPL", 101.00m, 101.10m);
        (await client.PlaceAsync(alice, "st-5", "SELL", "MARKET", 4)).Ok("placeOrder");
        (await client.PlaceAsync(bob, "st-6", "SELL", "MARKET", 6)).Ok("placeOrder");
        await app.QuoteAsync("AAPL", 98.00m, 98.10m);
        (await client.PlaceAsync(carol, "st-7", "SELL", "MARKET", 4)).Ok("placeOrder");
        await app.WaitForProjectionsAsync();
        return traders;
    }

    /// <summary>The pseudonym the app should give a user, computed here from the configured key (docs/analytics.md).</summary>
    public static string PseudonymOf(Guid userId) => Mac("t_", "user:", userId);

    /// <summary>A room's key, computed the same way from "room:" + id.</summary>
    public static string RoomKeyOf(Guid roomId) => Mac("r_", "room:", roomId);

    private static string Mac(string prefix, string kind, Guid id)
    {
        var key = Convert.FromBase64String(AppFixture.AnalyticsPseudonymKey["base64:".Length..]);
        return prefix + Convert.ToHexStringLower(HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(kind + id.ToString("D"))), 0, 16);
    }

    /// <summary>percentile_disc: the first value whose cumulative share reaches p.</summary>
    public static decimal PercentileDisc(IReadOnlyList<decimal> sorted, double p) =>
        sorted[Math.Max(0, (int)Math.Ceiling(p * sorted.Count) - 1)];

    /// <summary>
    /// percentile_cont: linear interpolation between the values at ranks floor and ceil of p × (n − 1), in exact decimal,
    /// rounded to 0.01 as the table stores it.
    /// </summary>
    public static decimal PercentileCont(IReadOnlyList<long> sorted, decimal p)
    {
        var position = p * (sorted.Count - 1);
        var below = (int)Math.Floor(position);
        var above = (int)Math.Ceiling(position);
        var value = sorted[below] + ((position - below) * (sorted[above] - sorted[below]));
        return Math.Round(value, 2, MidpointRounding.AwayFromZero);
    }

    /// <summary>A decimal without trailing zeros, so 3402.00 (numeric) and 3402 (computed) compare equal.</summary>
    public static string N(decimal value) => (value / 1.000000000000000000000000000000000m).ToString(CultureInfo.InvariantCulture);
}
