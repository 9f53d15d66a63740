namespace EventStore.Domain.Users;

/// <summary>The platform's roles. Stored lower-case in events, JWT role claims and read models.</summary>
public static class Roles
{
    public const string Trader = "trader";
    public const string Auditor = "auditor";
    public const string Analyst = "analyst";
    public const string Admin = "admin";

    public static readonly IReadOnlyList<string> All = [Trader, Auditor, Analyst, Admin];

    public static bool IsKnown(string? role) => role is not null && All.Contains(role);
}
