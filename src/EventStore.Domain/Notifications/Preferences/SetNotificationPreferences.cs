using EventStore.Domain.Validation;
using FluentValidation;
using Marten;

namespace EventStore.Domain.Notifications.Preferences;

/// <summary>
/// Which external channels the user wants besides in-app. <paramref name="PhoneNumber"/> (E.164) is kept as a
/// document, not in the event; null leaves the stored number as it is.
/// </summary>
public sealed record SetNotificationPreferences(
    Guid UserId, bool Email, bool Sms, [SingleLine(SetNotificationPreferences.PhoneNumberMaxLength)] string? PhoneNumber)
{
    /// <summary>E.164: a '+' and at most 15 digits.</summary>
    public const int PhoneNumberMaxLength = 16;

    public sealed class Validator : AbstractValidator<SetNotificationPreferences>
    {
        public Validator()
        {
            RuleFor(x => x.UserId).NotEmpty();
            RuleFor(x => x.PhoneNumber).Matches(@"^\+[1-9][0-9]{6,14}$")
                .WithMessage("'Phone Number' must be in E.164 form, e.g. +14155550100.")
                .When(x => x.PhoneNumber is not null);
        }
    }
}

public static class SetNotificationPreferencesHandler
{
    public static async Task Handle(SetNotificationPreferences command, IDocumentSession session, TimeProvider clock, CancellationToken ct)
    {
        var contact = await session.LoadAsync<NotificationContact>(command.UserId, ct);
        if (command.PhoneNumber is not null)
        {
            contact = new NotificationContact { Id = command.UserId, PhoneNumber = command.PhoneNumber };
            session.Store(contact);
        }

        if (command.Sms && contact?.PhoneNumber is null)
        {
            throw new FluentValidation.ValidationException(
                [new FluentValidation.Results.ValidationFailure(nameof(command.PhoneNumber), "SMS needs a phone number.")]);
        }

        var stream = await session.Events.FetchForWriting<NotificationPreferences>(NotificationIds.PreferencesOf(command.UserId), ct);
        if (stream.Aggregate is { } current && current.Email == command.Email && current.Sms == command.Sms)
        {
            return; // unchanged: nothing to record
        }

        stream.AppendOne(new NotificationPreferencesChanged(command.UserId, command.Email, command.Sms, clock.GetUtcNow()));
    }
}
