using System.Diagnostics.CodeAnalysis;

namespace EventStore.Domain.Users;

/// <summary>State rules shared by the Users deciders' Before methods.</summary>
public static class UserGuards
{
    public static void MustExist([NotNull] User? user)
    {
        if (user is null || user.Id == Guid.Empty)
        {
            throw new NotFoundException("User not found.");
        }
    }

    public static void MustBeActive([NotNull] User? user)
    {
        MustExist(user);
        if (!user.IsActive)
        {
            throw new ConflictException("The user is deactivated.");
        }
    }
}
