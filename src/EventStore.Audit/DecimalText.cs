using System.Globalization;

namespace EventStore.Audit;

/// <summary>
/// "Decimals as strings": a JSON number's exact decimal value written as plain decimal text, whatever its source spelling.
/// No exponent, no leading '+', no leading zeros, no trailing fractional zeros, no "-0": 1.50, 15E-1 and 1.5 are all "1.5";
/// 1e3 is "1000"; -0.0 is "0". Exact for any length: no conversion to double or decimal.
/// </summary>
public static class DecimalText
{
    public static string Normalize(string number)
    {
        var negative = number.StartsWith('-');
        var (digits, pointPosition) = Split(negative ? number[1..] : number);
        if (digits.Length == 0)
        {
            return "0";
        }

        string text;
        if (pointPosition <= 0)
        {
            text = "0." + new string('0', -pointPosition) + digits;
        }
        else if (pointPosition >= digits.Length)
        {
            text = digits + new string('0', pointPosition - digits.Length);
        }
        else
        {
            text = digits[..pointPosition] + "." + digits[pointPosition..];
        }

        return negative ? "-" + text : text;
    }

    /// <summary>
    /// True when a JSON number's text is already what <see cref="Normalize"/> returns: no exponent, no leading zeros, no
    /// trailing fractional zeros, not negative zero (e.g. 970, 0.35, -1.5). The export's common case, checked without allocating.
    /// </summary>
    public static bool IsNormalized(ReadOnlySpan<byte> number)
    {
        var negative = !number.IsEmpty && number[0] == '-';
        var digits = negative ? number[1..] : number;
        var dot = digits.IndexOf((byte)'.');
        var integer = dot < 0 ? digits : digits[..dot];
        var fraction = dot < 0 ? [] : digits[(dot + 1)..];
        if (integer.IsEmpty || integer.ContainsAnyExceptInRange((byte)'0', (byte)'9') || (integer[0] == '0' && integer.Length > 1))
        {
            return false;
        }

        if (dot >= 0 && (fraction.IsEmpty || fraction.ContainsAnyExceptInRange((byte)'0', (byte)'9') || fraction[^1] == '0'))
        {
            return false;
        }

        // "-0" is "0"; "-0.5" is fine.
        return !(negative && integer[0] == '0' && dot < 0);
    }

    /// <summary>
    /// Splits an unsigned JSON number (or .NET "R" text) into significant digits without leading or trailing zeros and
    /// the position of the decimal point: value = 0.DIGITS × 10^pointPosition. Zero gives no digits.
    /// </summary>
    internal static (string Digits, int PointPosition) Split(string unsigned)
    {
        var text = unsigned.TrimStart('+');
        var exponent = 0;
        var e = text.IndexOfAny(['e', 'E']);
        if (e >= 0)
        {
            exponent = int.Parse(text[(e + 1)..], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
            text = text[..e];
        }

        var dot = text.IndexOf('.', StringComparison.Ordinal);
        var integerPart = dot >= 0 ? text[..dot] : text;
        var fraction = dot >= 0 ? text[(dot + 1)..] : "";
        var all = integerPart + fraction;
        var point = integerPart.Length + exponent;
        var leading = all.Length - all.TrimStart('0').Length;
        all = all[leading..];
        point -= leading;
        all = all.TrimEnd('0');
        return all.Length == 0 ? ("", 0) : (all, point);
    }
}
