using EventStore.Domain.Privacy;
using EventStore.Domain.Validation;
using FluentValidation;
using Marten;

namespace EventStore.Domain.Community;

/// <summary>A user comments on a post they can see. <paramref name="CommentId"/> is created at the edge.</summary>
public sealed record CommentOnPost(
    Guid CommentId, Guid PostId, Guid AuthorId, bool AuthorIsModerator, [MultiLine(CommunityRules.CommentTextMaxLength)] string Text)
{
    public sealed class Validator : AbstractValidator<CommentOnPost>
    {
        public Validator()
        {
            RuleFor(x => x.CommentId).NotEmpty();
            RuleFor(x => x.PostId).NotEmpty();
            RuleFor(x => x.AuthorId).NotEmpty();
            RuleFor(x => x.Text).ValidText(CommunityRules.CommentTextMaxLength);
        }
    }
}

public sealed record CommentedOnPost(Guid CommentId);

public static class CommentOnPostHandler
{
    public static async Task<CommentedOnPost> Handle(CommentOnPost command, IDocumentSession session, PersonalDataProtector protector,
        TimeProvider clock, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var post = await session.Events.FetchLatest<Post>(command.PostId, ct);
        PostGuards.MustBeLive(post, command.AuthorId, command.AuthorIsModerator);
        var mentions = await CommunityRules.ResolveMentionsAsync(session, command.Text, command.AuthorId, ct);
        var personal = await protector.SealerAsync(session, command.AuthorId, now, ct);
        session.Events.StartStream<PostComment>(command.CommentId, Decide(post, command, mentions, personal, now));
        return new CommentedOnPost(command.CommentId);
    }

    public static PostCommented Decide(Post? post, CommentOnPost command, IReadOnlyList<Guid> mentions, PersonalDataSealer personal,
        DateTimeOffset now)
    {
        PostGuards.MustBeLive(post, command.AuthorId, command.AuthorIsModerator);
        return new PostCommented(command.CommentId, post.Id, command.AuthorId, personal.Seal(CommunityRules.Normalize(command.Text)),
            mentions, now);
    }
}
