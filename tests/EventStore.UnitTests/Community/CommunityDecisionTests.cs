using EventStore.Domain;
using EventStore.Domain.Community;
using FluentValidation;
using static EventStore.UnitTests.PersonalDataFixture;

namespace EventStore.UnitTests.Community;

public sealed class CommunityDecisionTests
{
    private static readonly Guid Author = Guid.Parse("00000000-0000-7000-8000-00000000a001");
    private static readonly Guid Other = Guid.Parse("00000000-0000-7000-8000-00000000a002");
    private static readonly Guid Moderator = Guid.Parse("00000000-0000-7000-8000-00000000a003");
    private static readonly Guid PostId = Guid.Parse("00000000-0000-7000-8000-00000000b001");
    private static readonly DateTimeOffset Now = new(2026, 12, 4, 12, 0, 0, TimeSpan.Zero);

    private static Post PostBy(Guid author, params object[] later)
    {
        var post = new Post();
        post.Apply(new PostCreated(PostId, author, Seal(author, "idea"), "AAPL", PostDirection.Long, PostHorizon.Swing, [], [], Now));
        foreach (var e in later)
        {
            switch (e)
            {
                case PostDeleted d: post.Apply(d); break;
                case PostHidden h: post.Apply(h); break;
                case PostRestored r: post.Apply(r); break;
            }
        }

        return post;
    }

    [Fact]
    public void a_post_is_sealed_under_its_authors_key_with_the_normalized_symbol_and_trimmed_text()
    {
        var created = CreatePostHandler.Decide(new CreatePost(PostId, Author, "  AAPL to the moon \n", "aapl", PostDirection.Long,
            PostHorizon.Intraday, []), "AAPL", [Other], SealerFor(Author), Now);

        Assert.Equal("AAPL to the moon", OpenerFor(Author).Open(created.Text));
        Assert.Equal(Author, created.Text.Subject);
        Assert.Equal(("AAPL", PostDirection.Long, PostHorizon.Intraday), (created.Symbol, created.Direction, created.Horizon));
        Assert.Equal([Other], created.MentionedUserIds);
    }

    [Fact]
    public void only_the_author_edits_and_an_unchanged_text_is_no_edit()
    {
        Assert.Throws<ForbiddenException>(() => EditPostHandler.Decide(PostBy(Author), new EditPost(PostId, Other, "mine now"), [],
            OpenerFor(Other), SealerFor(Other), Now).ToList());
        Assert.Empty(EditPostHandler.Decide(PostBy(Author), new EditPost(PostId, Author, " idea "), [], OpenerFor(Author),
            SealerFor(Author), Now));
        Assert.Single(EditPostHandler.Decide(PostBy(Author), new EditPost(PostId, Author, "better idea"), [], OpenerFor(Author),
            SealerFor(Author), Now));
    }

    [Fact]
    public void a_hidden_post_does_not_exist_for_others_and_a_deleted_one_is_deleted_once()
    {
        var hidden = PostBy(Author, new PostHidden(PostId, Moderator, Seal(Moderator, "spam"), Now));
        var deleted = PostBy(Author, new PostDeleted(PostId, Author, Now));

        Assert.Throws<NotFoundException>(() => DeletePostHandler.Decide(hidden, new DeletePost(PostId, Other), Now).ToList());
        Assert.Throws<NotFoundException>(() => LikePostHandler.Decide(hidden, null, new LikePost(PostId, Other, false, true), Now).ToList());
        Assert.Single(LikePostHandler.Decide(hidden, null, new LikePost(PostId, Moderator, true, true), Now));
        Assert.Empty(DeletePostHandler.Decide(deleted, new DeletePost(PostId, Author), Now));
        Assert.Throws<ConflictException>(() => LikePostHandler.Decide(deleted, null, new LikePost(PostId, Other, false, true), Now).ToList());
    }

    [Fact]
    public void likes_and_follows_are_idempotent()
    {
        var liked = new PostLike();
        liked.Apply(new PostLiked(PostId, Other, Now));
        var following = new Follow();
        following.Apply(new UserFollowed(Other, Author, Now));

        Assert.Empty(LikePostHandler.Decide(PostBy(Author), liked, new LikePost(PostId, Other, false, true), Now));
        Assert.IsType<PostUnliked>(Assert.Single(LikePostHandler.Decide(PostBy(Author), liked, new LikePost(PostId, Other, false, false), Now)));
        Assert.Empty(LikePostHandler.Decide(PostBy(Author), null, new LikePost(PostId, Other, false, false), Now));
        Assert.Empty(FollowUserHandler.Decide(following, new FollowUser(Other, Author, true), Now));
        Assert.IsType<UserUnfollowed>(Assert.Single(FollowUserHandler.Decide(following, new FollowUser(Other, Author, false), Now)));
        Assert.IsType<UserFollowed>(Assert.Single(FollowUserHandler.Decide(null, new FollowUser(Other, Author, true), Now)));
    }

    [Fact]
    public void nobody_follows_themselves()
    {
        var result = new FollowUser.Validator().Validate(new FollowUser(Author, Author, true));

        Assert.Contains(result.Errors, e => e.PropertyName == nameof(FollowUser.FolloweeId));
    }

    [Fact]
    public void only_moderators_hide_and_hiding_twice_or_restoring_a_shown_post_appends_nothing()
    {
        var hidden = PostBy(Author, new PostHidden(PostId, Moderator, Seal(Moderator, "spam"), Now));

        Assert.Throws<ForbiddenException>(() =>
            ModeratePostHandler.Decide(PostBy(Author), new ModeratePost(PostId, Other, false, true, "no"), SealerFor(Other), Now).ToList());
        Assert.IsType<PostHidden>(Assert.Single(
            ModeratePostHandler.Decide(PostBy(Author), new ModeratePost(PostId, Moderator, true, true, "spam"), SealerFor(Moderator), Now)));
        Assert.Empty(ModeratePostHandler.Decide(hidden, new ModeratePost(PostId, Moderator, true, true, "spam"), SealerFor(Moderator), Now));
        Assert.Empty(ModeratePostHandler.Decide(PostBy(Author), new ModeratePost(PostId, Moderator, true, false, "ok"), SealerFor(Moderator), Now));
        Assert.IsType<PostRestored>(Assert.Single(
            ModeratePostHandler.Decide(hidden, new ModeratePost(PostId, Moderator, true, false, "ok"), SealerFor(Moderator), Now)));
    }
}
