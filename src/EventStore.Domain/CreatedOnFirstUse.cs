namespace EventStore.Domain;

/// <summary>
/// A document a handler inserts when it finds none (an idempotency claim, a personal-data key, a processed integration
/// event), so that the store's primary key decides between concurrent first uses. The loser's insert fails with
/// <c>DocumentAlreadyExistsException</c>; Wolverine retries it (EventStoreSetup), and on the retry the handler finds the
/// winner's row and decides again: the same request applied once, or a real conflict. Documents whose duplicates are
/// always a conflict (a taken username) must not carry this marker, so that they fail at once.
/// </summary>
public interface ICreatedOnFirstUse;
