using EventStore.Domain.Privacy;
using EventStore.Domain.Trading.Accounts;
using EventStore.Domain.Trading.Instruments;
using EventStore.Domain.Trading.Positions;
using FluentValidation;
using Marten;
using Microsoft.Extensions.Options;

namespace EventStore.Domain.Trading.Orders;

/// <summary>Reduce the quantity and/or change the limit price of an open limit order.</summary>
public sealed record AmendOrder(Guid OrderId, Guid UserId, decimal? Quantity, decimal? LimitPrice, long? ExpectedVersion)
{
    public sealed class Validator : AbstractValidator<AmendOrder>
    {
        public Validator()
        {
            RuleFor(x => x.OrderId).NotEmpty();
            RuleFor(x => x).Must(x => x.Quantity is not null || x.LimitPrice is not null)
                .WithName("Quantity").WithMessage("Give a new 'Quantity' or a new 'Limit Price'.");
            RuleFor(x => x.Quantity).GreaterThan(0).When(x => x.Quantity is not null);
            RuleFor(x => x.LimitPrice).GreaterThan(0).When(x => x.LimitPrice is not null);
            RuleFor(x => x.ExpectedVersion).GreaterThan(0).When(x => x.ExpectedVersion is not null);
        }
    }
}

public static class AmendOrderHandler
{
    /// <summary>Answers with the order as decided (<see cref="DecidedOrder"/>): the caller does not read it back.</summary>
    public static async Task<DecidedOrder> Handle(AmendOrder command, IDocumentSession session, PersonalDataProtector protector,
        IOptions<TradingOptions> options, TimeProvider clock, CancellationToken ct)
    {
        var change = await OrderChange.LoadAsync(session, command.OrderId, command.UserId, command.ExpectedVersion, withInstrument: true, ct);
        var book = change.Book;
        change.Append(Decide(book.Order, command, book.Account.Aggregate, book.Position.Aggregate, change.Instrument!, options.Value,
            clock.GetUtcNow()));
        return change.Decided(protector);
    }

    /// <summary>
    /// Amend rules: quantity can only go down (and stays above what is filled), the limit price changes only on limit
    /// orders, both keep to tick and lot size; the reservation is resized exactly (more buying power must be available).
    /// An amend that changes nothing appends nothing. <paramref name="order"/> is changeable (<see cref="OrderRules"/>).
    /// </summary>
    public static TradeEvents Decide(Order order, AmendOrder command, CashAccount? account, Position? position,
        Instrument instrument, TradingOptions options, DateTimeOffset now)
    {
        var quantity = command.Quantity ?? order.Quantity;
        var limit = command.LimitPrice ?? order.LimitPrice;
        if (command.LimitPrice is not null && order.Type != OrderType.Limit)
        {
            throw new ConflictException("Only limit orders have a limit price to change.");
        }

        if (quantity > order.Quantity)
        {
            throw new ConflictException("An amend can only reduce the quantity; place a new order to buy or sell more.");
        }

        if (quantity <= order.FilledQuantity)
        {
            throw new ConflictException($"The new quantity must be above the {order.FilledQuantity} already filled; cancel the order instead.");
        }

        if (!Money.IsMultipleOf(quantity, instrument.LotSize) || (limit is { } l && !Money.IsMultipleOf(l, instrument.TickSize)))
        {
            throw new ConflictException($"Quantity must be a multiple of {instrument.LotSize} and the limit price of {instrument.TickSize}.");
        }

        if (limit is { } newLimit && quantity * newLimit > options.MaxOrderNotional)
        {
            throw new ConflictException($"The amended notional {quantity * newLimit} exceeds the maximum {options.MaxOrderNotional}.");
        }

        var events = TradeEvents.Empty();
        if (quantity == order.Quantity && limit == order.LimitPrice)
        {
            return events;
        }

        events.Order.Add(new OrderAmended(order.Id, quantity, limit, now));
        var remaining = quantity - order.FilledQuantity;
        if (order.Side == OrderSide.Buy && account is not null)
        {
            var current = account.ReservedFor(order.Id);
            // A market buy has no limit to price against: its reservation shrinks in proportion to the quantity.
            var target = limit is { } price
                ? PreTradeRisk.CashToReserve(OrderType.Limit, remaining, price, options)
                : Money.Cash(current * remaining / order.Remaining);
            if (target > current)
            {
                if (target - current > account.Available)
                {
                    throw new InsufficientFundsException($"The amended order needs {target - current} more buying power; {account.Available} is available.");
                }

                events.Account.Add(new CashReserved(account.Id, order.Id, target - current, now));
            }
            else if (target < current)
            {
                events.Account.Add(new CashReservationReleased(account.Id, order.Id, current - target, now));
            }
        }
        else if (order.Side == OrderSide.Sell && position is not null && position.ReservedFor(order.Id) > remaining)
        {
            events.Position.Add(new SharesReservationReleased(position.Id, order.Id, position.ReservedFor(order.Id) - remaining, now));
        }

        return events;
    }
}
