namespace EventStore.Domain.Users;

/// <summary>The platform's roles. Stored lower-case in events, JWT role claims and read models.</summary>
public static class Roles
{
    public const string Trader = "trader";
    public const string Auditor = "auditor";
    public const string Analyst = "analyst";
    public const string Admin = "admin";

    /// <summary>Hides and restores community posts (docs/community.md); admins may too.</summary>
    public const string Moderator = "moderator";

    public static readonly IReadOnlyList<string> All = [Trader, Auditor, Analyst, Admin, Moderator];

    public static bool IsKnown(string? role) => role is not null && All.Contains(role);
}
