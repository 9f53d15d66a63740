namespace EventStore.Domain.Trading;

/// <summary>
/// Rounding rules (docs/trading.md): cash amounts, fees and P&amp;L to 2 decimals, average cost to 8 decimals, both
/// with midpoint away from zero. Price × quantity is exact in decimal and is never rounded.
/// </summary>
public static class Money
{
    public const int CashDecimals = 2;
    public const int CostDecimals = 8;

    public static decimal Cash(decimal amount) => Math.Round(amount, CashDecimals, MidpointRounding.AwayFromZero);

    public static decimal Cost(decimal amount) => Math.Round(amount, CostDecimals, MidpointRounding.AwayFromZero);

    public static bool IsMultipleOf(decimal value, decimal step) => step > 0 && value % step == 0;
}
