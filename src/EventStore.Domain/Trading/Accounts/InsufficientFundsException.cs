namespace EventStore.Domain.Trading.Accounts;

/// <summary>Not enough available cash (balance minus reservations): code CONFLICT with reason INSUFFICIENT_FUNDS.</summary>
public sealed class InsufficientFundsException(string message)
    : DomainException(message, DomainErrorCodes.Conflict, InsufficientFundsException.ReasonCode)
{
    public const string ReasonCode = "INSUFFICIENT_FUNDS";
}
