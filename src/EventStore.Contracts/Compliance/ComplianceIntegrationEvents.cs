namespace EventStore.Contracts.Compliance;

/// <summary>
/// A user's personal data was erased (crypto-shredded). Consumers delete or anonymise what they hold about the user.
/// Key: the user id.
/// </summary>
[IntegrationEvent(IntegrationModules.Compliance, "personal-data-erased", 1)]
public sealed record PersonalDataErased(Guid UserId, DateTimeOffset ErasedAt) : IntegrationEvent;
