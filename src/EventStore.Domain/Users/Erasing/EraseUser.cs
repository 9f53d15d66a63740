using EventStore.Domain.Privacy;
using FluentValidation;
using Marten;
using Wolverine.Marten;

namespace EventStore.Domain.Users.Erasing;

/// <summary>GDPR erasure by crypto-shredding (admins). Idempotent: erasing an erased user changes nothing.</summary>
public sealed record EraseUser(Guid UserId, Guid ActorId)
{
    public sealed class Validator : AbstractValidator<EraseUser>
    {
        public Validator()
        {
            RuleFor(x => x.UserId).NotEmpty();
            RuleFor(x => x.ActorId).NotEmpty();
        }
    }
}

public static class EraseUserHandler
{
    public static void Before(User? user) => UserGuards.MustExist(user);

    /// <summary>
    /// One transaction: the user's key loses its key material (the row stays, so no new key can be made), the
    /// account with its clear-text login name and e-mail goes, so do the documents found by the user's own text
    /// (<see cref="IPersonalLookup"/>), and <see cref="PersonalDataErased"/> is appended. Every event stays exactly as
    /// stored; their sealed fields simply cannot be opened any more.
    /// </summary>
    [AggregateHandler]
    public static async Task<IEnumerable<object>> Handle(
        EraseUser command, User user, IDocumentSession session, TimeProvider clock, CancellationToken ct)
    {
        if (user.IsErased)
        {
            return [];
        }

        var now = clock.GetUtcNow();
        var key = await session.LoadAsync<PersonalDataKey>(user.Id, ct) ?? new PersonalDataKey { Id = user.Id, CreatedAt = now };
        key.WrappedKey = null;
        key.ErasedAt = now;
        session.Store(key);
        session.Delete<UserAccount>(user.Id);
        PersonalLookups.ForgetAll(session, user.Id);
        return [new PersonalDataErased(user.Id, command.ActorId, now)];
    }
}
