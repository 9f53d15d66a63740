using System.Globalization;
using System.Text.Json;

namespace EventStore.Api.MarketData;

/// <summary>
/// The price in an Alpha Vantage <c>GLOBAL_QUOTE</c> answer: <c>{"Global Quote": {"05. price": "123.4500", ...}}</c>.
/// The vendor answers 200 even when it has nothing (an empty object, or a <c>Note</c>/<c>Information</c>/
/// <c>Error Message</c> about limits or a bad symbol), so a missing price carries the vendor's explanation.
/// </summary>
internal readonly record struct GlobalQuote(decimal? Price, string Problem)
{
    private const int MaxProblemLength = 200;

    public static GlobalQuote Parse(string body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return new GlobalQuote(null, "unexpected vendor response");
            }

            if (root.TryGetProperty("Global Quote", out var quote) && quote.ValueKind == JsonValueKind.Object
                && quote.TryGetProperty("05. price", out var price) && price.ValueKind == JsonValueKind.String)
            {
                return decimal.TryParse(price.GetString(), NumberStyles.Number, CultureInfo.InvariantCulture, out var value)
                       && value > 0m
                    ? new GlobalQuote(value, "")
                    : new GlobalQuote(null, "vendor price is not a positive number");
            }

            foreach (var name in (ReadOnlySpan<string>)["Note", "Information", "Error Message"])
            {
                if (root.TryGetProperty(name, out var text) && text.ValueKind == JsonValueKind.String)
                {
                    return new GlobalQuote(null, Shorten(text.GetString() ?? name));
                }
            }

            return new GlobalQuote(null, "vendor has no quote");
        }
        catch (JsonException)
        {
            return new GlobalQuote(null, "vendor response is not JSON");
        }
    }

    private static string Shorten(string text) => text.Length <= MaxProblemLength ? text : text[..MaxProblemLength] + "...";
}
