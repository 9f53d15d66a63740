using System.Text;
using System.Text.Json;
using EventStore.Audit;

namespace EventStore.UnitTests.Audit;

public sealed class JcsTests
{
    private static string Canonical(string json, bool decimalsAsStrings = false)
    {
        using var document = JsonDocument.Parse(json);
        return Encoding.UTF8.GetString(Jcs.Canonicalize(document.RootElement, decimalsAsStrings));
    }

    [Fact]
    public void keys_are_sorted_by_utf16_code_units_at_every_level_and_whitespace_goes() =>
        // RFC 8785 3.2.3: "\u20ac" (€) sorts before "\ud83d\ude00" (😀, a surrogate pair) and after "\u0080".
        Assert.Equal("{\"\\n\":1,\"a\":{\"A\":[1,{\"x\":2,\"y\":true}],\"b\":null},\"\u0080\":3,\"€\":4,\"😀\":5}",
            Canonical("{ \"😀\": 5, \"€\": 4, \"\u0080\": 3, \"a\": {\"b\": null, \"A\": [1, {\"y\": true, \"x\": 2}]}, \"\\n\": 1 }"));

    [Fact]
    public void strings_escape_only_quotes_backslashes_and_control_characters()
    {
        Assert.Equal("\"\\\"\\\\\\b\\f\\n\\r\\t\\u001f/é€😀<>\"", Canonical("\"\\\"\\\\\\b\\f\\n\\r\\t\\u001f\\/\\u00e9€😀<>\""));
    }

    [Theory]
    [InlineData("0", "0")]
    [InlineData("-0", "0")]
    [InlineData("1E21", "1e+21")]
    [InlineData("1E20", "100000000000000000000")]
    [InlineData("0.000001", "0.000001")]
    [InlineData("1E-7", "1e-7")]
    [InlineData("333333333.33333329", "333333333.3333333")]
    [InlineData("4.50", "4.5")]
    [InlineData("-1.5e-300", "-1.5e-300")]
    [InlineData("9007199254740992", "9007199254740992")]
    public void numbers_follow_ecmascript_formatting(string input, string expected) => Assert.Equal(expected, Canonical(input));

    [Theory]
    [InlineData("10.50", "\"10.5\"")]
    [InlineData("1e3", "\"1000\"")]
    [InlineData("15E-1", "\"1.5\"")]
    [InlineData("-0.0", "\"0\"")]
    [InlineData("0.000100", "\"0.0001\"")]
    [InlineData("123456789012345678901234567890.123456789", "\"123456789012345678901234567890.123456789\"")]
    [InlineData("-7", "\"-7\"")]
    public void decimals_as_strings_keep_the_exact_decimal_value(string input, string expected) =>
        Assert.Equal(expected, Canonical(input, decimalsAsStrings: true));

    [Fact]
    public void the_event_record_has_a_fixed_shape_with_numbers_in_data_as_strings()
    {
        var record = new StoredEvent(7, "e1", "s1", 2, "order_placed", "2026-01-02T03:04:05.123456Z",
            "{\"quantity\": 10, \"price\": 99.50, \"symbol\": \"AAPL\"}", "c1", null, "alice", null);

        Assert.Equal(
            "{\"data\":{\"price\":\"99.5\",\"quantity\":\"10\",\"symbol\":\"AAPL\"},\"id\":\"e1\",\"metadata\":{\"actor\":\"alice\",\"causationId\":null,\"correlationId\":\"c1\",\"headers\":null},\"sequence\":7,\"streamId\":\"s1\",\"timestamp\":\"2026-01-02T03:04:05.123456Z\",\"type\":\"order_placed\",\"version\":2}",
            Encoding.UTF8.GetString(AuditRecord.Canonical(record)));
    }

    [Fact]
    public void the_hand_written_record_is_already_canonical()
    {
        var record = new StoredEvent(1, "id", "stream", 1, "t", "2026-01-01T00:00:00.000000Z", "{\"b\":[1.0,{\"z\":1,\"a\":\"é\"}]}",
            "c", "d", "e", "{\"x-command\":\"Place\"}");
        var bytes = AuditRecord.Canonical(record);
        using var document = JsonDocument.Parse(bytes);

        Assert.Equal(bytes, Jcs.Canonicalize(document.RootElement));
    }
}
