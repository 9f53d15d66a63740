using EventStore.Domain.Chat;
using EventStore.Domain.Trading;
using EventStore.Domain.Trading.Instruments;
using EventStore.Domain.Users;
using FluentValidation;
using Marten;

namespace EventStore.Domain.Community;

/// <summary>Shape limits and lookups shared by the Community use cases.</summary>
public static class CommunityRules
{
    /// <summary>A post: a trade idea or a note, several paragraphs.</summary>
    public const int PostTextMaxLength = 5000;

    public const int CommentTextMaxLength = 2000;

    /// <summary>A report's or a moderator's reason: one line.</summary>
    public const int ReasonMaxLength = 500;

    /// <summary>At most this many files on one post.</summary>
    public const int MaxAttachments = 10;

    public static IRuleBuilderOptions<T, string> ValidText<T>(this IRuleBuilderInitial<T, string> rule, int max) =>
        rule.Cascade(CascadeMode.Stop).NotEmpty().Must(t => t.Trim().Length > 0).WithMessage("'{PropertyName}' must not be blank.")
            .MaximumLength(max);

    public static string Normalize(string text) => text.Trim();

    public static string? NormalizeSymbol(string? symbol) => string.IsNullOrWhiteSpace(symbol) ? null : symbol.Trim().ToUpperInvariant();

    /// <summary>The ids of the registered users mentioned with <c>@username</c> (the chat's mention syntax), the author excluded.</summary>
    public static async Task<IReadOnlyList<Guid>> ResolveMentionsAsync(IQuerySession session, string text, Guid authorId, CancellationToken ct) =>
        [.. (await ChatRules.ResolveMentionsAsync(session, text, ct)).Where(id => id != authorId)];

    public static async Task MustBeListedAsync(IQuerySession session, string symbol, CancellationToken ct)
    {
        if (await session.Events.FetchStreamStateAsync(TradingIds.Instrument(symbol), ct) is null)
        {
            throw new FluentValidation.ValidationException([new FluentValidation.Results.ValidationFailure("Symbol", $"{symbol} is not a listed instrument.")]);
        }
    }

    public static async Task MustBeRegisteredAsync(IQuerySession session, Guid userId, CancellationToken ct)
    {
        if (await session.LoadAsync<UserAccount>(userId, ct) is null)
        {
            throw new NotFoundException("User not found.");
        }
    }

    /// <summary>Moderators and admins hide and restore posts and see hidden ones.</summary>
    public static bool IsModerator(IEnumerable<string> roles) => roles.Any(r => r is Roles.Moderator or Roles.Admin);




}
