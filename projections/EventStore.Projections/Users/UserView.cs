using EventStore.Domain.Privacy;
using EventStore.Domain.Users;

namespace EventStore.Projections.Users;

/// <summary>
/// What the `User` GraphQL type shows. Built from the UserProfile projection, or, for a user whose registration the
/// async projection has not reached yet (and for mutation results), from the live stream: read-your-writes.
/// </summary>
public sealed record UserView(
    Guid Id,
    string? Username,
    string? Email,
    string? DisplayName,
    string? Bio,
    IReadOnlyList<string> Roles,
    bool IsActive,
    bool IsErased,
    DateTimeOffset RegisteredAt,
    long Version)
{
    public static UserView From(UserProfile p) =>
        new(p.Id, p.Username, p.Email, p.DisplayName, p.Bio, p.Roles, p.IsActive, p.IsErased, p.RegisteredAt, p.Version);

    /// <summary>From the write model: sealed fields opened with the user's key (null once erased).</summary>
    public static UserView From(User u, PersonalDataOpener personal) =>
        new(u.Id, personal.Open(u.Username), personal.Open(u.Email), personal.Open(u.DisplayName), personal.Open(u.Bio),
            [.. u.Roles.Order(StringComparer.Ordinal)], u.IsActive, u.IsErased, u.RegisteredAt, u.Version);
}
