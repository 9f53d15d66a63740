using EventStore.Domain.Privacy;
using EventStore.Domain.Validation;
using FluentValidation;
using Marten;

namespace EventStore.Domain.Community;

/// <summary>Any user reports a post they can see, with a reason; moderators see the count.</summary>
public sealed record ReportPost(Guid PostId, Guid ReporterId, bool ReporterIsModerator, [SingleLine(CommunityRules.ReasonMaxLength)] string Reason)
{
    public sealed class Validator : AbstractValidator<ReportPost>
    {
        public Validator()
        {
            RuleFor(x => x.PostId).NotEmpty();
            RuleFor(x => x.ReporterId).NotEmpty();
            RuleFor(x => x.Reason).ValidText(CommunityRules.ReasonMaxLength);
        }
    }
}

public static class ReportPostHandler
{
    public static async Task Handle(ReportPost command, IDocumentSession session, PersonalDataProtector protector, TimeProvider clock,
        CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var stream = await session.Events.FetchForWriting<Post>(command.PostId, ct);
        PostGuards.MustBeLive(stream.Aggregate, command.ReporterId, command.ReporterIsModerator);
        var personal = await protector.SealerAsync(session, command.ReporterId, now, ct);
        stream.AppendOne(new PostReported(command.PostId, command.ReporterId, personal.Seal(CommunityRules.Normalize(command.Reason)), now));
    }
}

/// <summary>
/// A moderator (or admin; <paramref name="ActorIsModerator"/> from the token) hides (<paramref name="Hide"/> true) or
/// restores a post, with a reason. Hiding a hidden post, or restoring a shown one, appends nothing.
/// </summary>
public sealed record ModeratePost(Guid PostId, Guid ModeratorId, bool ActorIsModerator, bool Hide,
    [SingleLine(CommunityRules.ReasonMaxLength)] string Reason)
{
    public sealed class Validator : AbstractValidator<ModeratePost>
    {
        public Validator()
        {
            RuleFor(x => x.PostId).NotEmpty();
            RuleFor(x => x.ModeratorId).NotEmpty();
            RuleFor(x => x.Reason).ValidText(CommunityRules.ReasonMaxLength);
        }
    }
}

public static class ModeratePostHandler
{
    public static async Task Handle(ModeratePost command, IDocumentSession session, PersonalDataProtector protector, TimeProvider clock,
        CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var stream = await session.Events.FetchForWriting<Post>(command.PostId, ct);
        var personal = await protector.SealerAsync(session, command.ModeratorId, now, ct);
        stream.AppendMany(Decide(stream.Aggregate, command, personal, now));
    }

    public static IEnumerable<object> Decide(Post? post, ModeratePost command, PersonalDataSealer personal, DateTimeOffset now)
    {
        if (!command.ActorIsModerator)
        {
            throw new ForbiddenException("Only moderators and admins can hide or restore posts.");
        }

        if (post is null || post.Id == Guid.Empty)
        {
            throw new NotFoundException("Post not found.");
        }

        var reason = personal.Seal(CommunityRules.Normalize(command.Reason));
        if (command.Hide && !post.Hidden)
        {
            yield return new PostHidden(post.Id, command.ModeratorId, reason, now);
        }
        else if (!command.Hide && post.Hidden)
        {
            yield return new PostRestored(post.Id, command.ModeratorId, reason, now);
        }
    }
}
