namespace EventStore.Domain.Trading.Accounts;

/// <summary>
/// What a cash command decided, answered to the caller without reading the account again: the balance after the
/// appended events (or, for a request already applied under its idempotency key, the account as it stands now).
/// </summary>
public sealed record CashBalance(decimal Balance, decimal Reserved, decimal Available)
{
    public static CashBalance Of(CashAccount? account) => new(account?.Balance ?? 0, account?.Reserved ?? 0, account?.Available ?? 0);

    /// <summary>A cash command's decision for the group committer: its events, the account they leave, and its balance.</summary>
    public static Commits.Decision<CashAccount, CashBalance> Decided(CashAccount? account, IReadOnlyList<object> events)
    {
        var after = Applied(account, events);
        return new(events, after, Of(after));
    }

    /// <summary>Applies <paramref name="appended"/> to a copy: the fetched aggregate itself stays as Marten loaded it.</summary>
    public static CashBalance After(CashAccount? account, IEnumerable<object> appended) => Of(Applied(account, appended));

    /// <summary>A new account: <paramref name="account"/> (a copy of it) with a cash command's events applied.</summary>
    private static CashAccount Applied(CashAccount? account, IEnumerable<object> appended)
    {
        var after = account?.Copy() ?? new CashAccount();
        foreach (var e in appended)
        {
            switch (e)
            {
                case CashAccountOpened opened: after.Apply(opened); break;
                case CashDeposited deposited: after.Apply(deposited); break;
                case CashWithdrawn withdrawn: after.Apply(withdrawn); break;
                default: throw new InvalidOperationException($"A cash command does not append {e.GetType().Name}.");
            }
        }

        return after;
    }
}
