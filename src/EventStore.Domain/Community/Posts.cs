using EventStore.Domain.Privacy;
using EventStore.Domain.Validation;
using FluentValidation;
using EventStore.Domain.Files;
using EventStore.Domain.Files.Attaching;
using Marten;

namespace EventStore.Domain.Community;

/// <summary>A user posts a trade idea or a note. <paramref name="PostId"/> is created at the edge.</summary>
public sealed record CreatePost(
    Guid PostId, Guid AuthorId, [MultiLine(CommunityRules.PostTextMaxLength)] string Text,
    [SingleLine(Trading.Instruments.InstrumentRules.SymbolMaxLength)] string? Symbol, PostDirection? Direction, PostHorizon? Horizon,
    IReadOnlyList<Guid> AttachmentIds)
{
    public sealed class Validator : AbstractValidator<CreatePost>
    {
        public Validator()
        {
            RuleFor(x => x.PostId).NotEmpty();
            RuleFor(x => x.AuthorId).NotEmpty();
            RuleFor(x => x.Text).ValidText(CommunityRules.PostTextMaxLength);
            RuleFor(x => x.Symbol!).MaximumLength(Trading.Instruments.InstrumentRules.SymbolMaxLength)
                .Must(s => s.Trim().Length > 0).WithMessage("'Symbol' must not be blank; leave it out instead.")
                .When(x => x.Symbol is not null);
            RuleFor(x => x.Direction).IsInEnum();
            RuleFor(x => x.Horizon).IsInEnum();
            RuleFor(x => x.AttachmentIds).NotNull()
                .Must(a => a.Count <= CommunityRules.MaxAttachments).WithMessage($"At most {CommunityRules.MaxAttachments} attachments.")
                .Must(a => a.All(id => id != Guid.Empty) && a.Distinct().Count() == a.Count)
                .WithMessage("'Attachment Ids' must be distinct file ids.");
        }
    }
}

public sealed record CreatedPost(Guid PostId);

public static class CreatePostHandler
{
    public static async Task<CreatedPost> Handle(CreatePost command, IDocumentSession session, PersonalDataProtector protector,
        TimeProvider clock, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var symbol = CommunityRules.NormalizeSymbol(command.Symbol);
        if (symbol is not null)
        {
            await CommunityRules.MustBeListedAsync(session, symbol, ct);
        }

        var mentions = await CommunityRules.ResolveMentionsAsync(session, command.Text, command.AuthorId, ct);
        var personal = await protector.SealerAsync(session, command.AuthorId, now, ct);
        session.Events.StartStream<Post>(command.PostId, Decide(command, symbol, mentions, personal, now));
        if (command.AttachmentIds.Count > 0)
        {
            // Only the author's own, undiscarded files (any other id is NOT_FOUND), attached in the post's transaction.
            await FileAttachments.AttachAsync(session, command.AttachmentIds, AttachmentKind.Post, command.PostId, null,
                command.AuthorId, now, ct);
        }
        return new CreatedPost(command.PostId);
    }

    public static PostCreated Decide(CreatePost command, string? symbol, IReadOnlyList<Guid> mentions, PersonalDataSealer personal,
        DateTimeOffset now) =>
        new(command.PostId, command.AuthorId, personal.Seal(CommunityRules.Normalize(command.Text)), symbol, command.Direction,
            command.Horizon, [.. command.AttachmentIds], mentions, now);
}

/// <summary>The author replaces a post's text. The earlier text stays in the post's stream (edit history).</summary>
public sealed record EditPost(Guid PostId, Guid EditorId, [MultiLine(CommunityRules.PostTextMaxLength)] string Text)
{
    public sealed class Validator : AbstractValidator<EditPost>
    {
        public Validator()
        {
            RuleFor(x => x.PostId).NotEmpty();
            RuleFor(x => x.EditorId).NotEmpty();
            RuleFor(x => x.Text).ValidText(CommunityRules.PostTextMaxLength);
        }
    }
}

public static class EditPostHandler
{
    public static async Task Handle(EditPost command, IDocumentSession session, PersonalDataProtector protector, TimeProvider clock,
        CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var stream = await session.Events.FetchForWriting<Post>(command.PostId, ct);
        var mentions = await CommunityRules.ResolveMentionsAsync(session, command.Text, command.EditorId, ct);
        var current = await protector.OpenerAsync(session, [command.EditorId], ct);
        var personal = await protector.SealerAsync(session, command.EditorId, now, ct);
        stream.AppendMany(Decide(stream.Aggregate, command, mentions, current, personal, now));
    }

    /// <summary>Only the author edits (a hidden post too: it is theirs to fix); an unchanged text appends nothing.</summary>
    public static IEnumerable<object> Decide(Post? post, EditPost command, IReadOnlyList<Guid> mentions, PersonalDataOpener current,
        PersonalDataSealer personal, DateTimeOffset now)
    {
        if (post is null || post.Id == Guid.Empty || (post.Hidden && post.AuthorId != command.EditorId))
        {
            throw new NotFoundException("Post not found.");
        }

        if (post.AuthorId != command.EditorId)
        {
            throw new ForbiddenException("Only the author can edit a post.");
        }

        if (post.Deleted)
        {
            throw new ConflictException("The post was deleted.");
        }

        var text = CommunityRules.Normalize(command.Text);
        if (text != current.Open(post.Text))
        {
            yield return new PostEdited(post.Id, command.EditorId, personal.Seal(text), mentions, now);
        }
    }
}

/// <summary>The author deletes a post: a redaction event, after which read models no longer show the text.</summary>
public sealed record DeletePost(Guid PostId, Guid ActorId)
{
    public sealed class Validator : AbstractValidator<DeletePost>
    {
        public Validator()
        {
            RuleFor(x => x.PostId).NotEmpty();
            RuleFor(x => x.ActorId).NotEmpty();
        }
    }
}

public static class DeletePostHandler
{
    public static async Task Handle(DeletePost command, IDocumentSession session, TimeProvider clock, CancellationToken ct)
    {
        var stream = await session.Events.FetchForWriting<Post>(command.PostId, ct);
        stream.AppendMany(Decide(stream.Aggregate, command, clock.GetUtcNow()));
    }

    /// <summary>Only the author deletes (moderators hide instead); deleting twice appends one event.</summary>
    public static IEnumerable<object> Decide(Post? post, DeletePost command, DateTimeOffset now)
    {
        if (post is null || post.Id == Guid.Empty || (post.Hidden && post.AuthorId != command.ActorId))
        {
            throw new NotFoundException("Post not found.");
        }

        if (post.AuthorId != command.ActorId)
        {
            throw new ForbiddenException("Only the author can delete a post.");
        }

        if (!post.Deleted)
        {
            yield return new PostDeleted(post.Id, command.ActorId, now);
        }
    }
}
