using EventStore.Domain.Chat;
using EventStore.Domain.Trading.Orders;
using EventStore.Domain.Users;
using EventStore.Projections.Analytics;
using EventStore.Projections.Chat;
using EventStore.Projections.Search;
using EventStore.Projections.Trading;
using EventStore.Projections.Users;

namespace EventStore.UnitTests.Search;

public sealed class SearchDocumentsTests
{
    private static readonly DateTimeOffset At = new(2026, 11, 24, 23, 59, 0, TimeSpan.Zero);
    private static readonly Guid UserId = Guid.Parse("0195f2a4-0000-7000-8000-000000000001");

    [Fact]
    public void a_user_is_found_by_display_name_and_username_by_admins_and_themselves_only()
    {
        var document = SearchDocuments.For(new UserProfile
        {
            Id = UserId, Username = "search.alice", DisplayName = "Alice A.", Email = "alice@example.com", Bio = "secret bio", UpdatedAt = At,
        })!;

        Assert.Equal(("USER", "Alice A.", "search.alice"), (document.Type, document.Title, document.Body));
        Assert.Equal(["role:admin", $"user:{UserId:D}"], document.Readers);
        Assert.DoesNotContain("example.com", document.Terms, StringComparison.Ordinal);
        Assert.DoesNotContain("secret", document.Terms, StringComparison.Ordinal);
        Assert.Equal("Alice A search alice", document.Terms);
    }

    [Fact]
    public void an_erased_user_has_no_document()
    {
        var profile = new UserProfile { Id = UserId, Username = "gone", DisplayName = "Gone" };
        UserProfileProjection.Fold(new PersonalDataErased(UserId, Guid.NewGuid(), At), profile);

        Assert.Null(SearchDocuments.For(profile));
        Assert.Null(SearchDocuments.For((UserProfile?)null));
    }

    [Fact]
    public void an_order_is_visible_to_its_owner_only_and_shows_its_status()
    {
        var order = OrderViewProjection.Start(new OrderPlaced(Guid.NewGuid(), UserId, PersonalDataFixture.Seal(UserId, "c-42"), Guid.NewGuid(), "AAPL",
            OrderSide.Buy, OrderType.Limit, 5, 101.5m, TimeInForce.Gtc, 510m, 0, null, At), PersonalDataFixture.OpenerFor(UserId));

        var document = SearchDocuments.For(order)!;

        Assert.Equal(("BUY 5 AAPL LIMIT 101.5", "c-42 Open Gtc"), (document.Title, document.Body));
        Assert.Equal([$"user:{UserId:D}"], document.Readers);
        Assert.Equal(At, document.UpdatedAt);
    }

    [Fact]
    public void a_halted_instrument_says_so_and_everyone_may_find_it()
    {
        var instrument = new InstrumentView { Id = Guid.NewGuid(), Symbol = "AAPL", Name = "Apple Inc.", Currency = "USD", Tradable = false, HaltReason = "news" };

        var document = SearchDocuments.For(instrument, At)!;

        Assert.Equal(("AAPL Apple Inc.", "USD halted news"), (document.Title, document.Body));
        Assert.Equal([SearchReaders.Public], document.Readers);
    }

    [Fact]
    public void a_message_is_found_by_its_current_text_by_members_of_its_room_only()
    {
        var roomId = Guid.NewGuid();
        var view = new ChatMessageView
        {
            Id = Guid.NewGuid(), RoomId = roomId, AuthorId = UserId, TextOwnerId = UserId, Text = "second draft", PostedAt = At,
            EditedAt = At.AddMinutes(5), Revisions = [new MessageRevision("first draft", At)],
        };

        var document = SearchDocuments.For(view, "Desk")!;

        Assert.Equal(("MESSAGE", view.Id, "Desk", "second draft"), (document.Type, document.Id, document.Title, document.Body));
        Assert.Equal([$"room:{roomId:D}"], document.Readers);
        Assert.Equal(At.AddMinutes(5), document.UpdatedAt);
        Assert.DoesNotContain("first", document.Terms, StringComparison.Ordinal);
    }

    [Fact]
    public void a_deleted_message_or_one_whose_owner_was_erased_has_no_document()
    {
        var deleted = new ChatMessageView { Id = Guid.NewGuid(), RoomId = Guid.NewGuid(), Text = "oops", PostedAt = At };
        ChatMessageViewProjection.Fold(new MessageDeleted(deleted.Id, deleted.RoomId, UserId, At), deleted);
        var erased = new ChatMessageView { Id = Guid.NewGuid(), RoomId = Guid.NewGuid(), Text = "mine", PostedAt = At };
        ChatMessageViewProjection.Forget(erased);

        Assert.Null(SearchDocuments.For(deleted, "Desk"));
        Assert.Null(SearchDocuments.For(erased, "Desk"));
        Assert.Null(SearchDocuments.For((ChatMessageView?)null, "Desk"));
    }

    [Fact]
    public void events_map_to_the_document_they_change_and_others_to_none()
    {
        var orderId = Guid.NewGuid();

        Assert.Equal(new SearchKey("ORDER", orderId), SearchSources.KeyOf(new OrderCancelled(orderId, 1, "user", null, At)));
        Assert.Equal(new SearchKey("USER", UserId), SearchSources.KeyOf(new PersonalDataErased(UserId, Guid.NewGuid(), At)));
        Assert.Null(SearchSources.KeyOf(new UserRoleAssigned(UserId, "admin", Guid.NewGuid(), At)));
        var messageId = Guid.NewGuid();
        Assert.Equal(new SearchKey("MESSAGE", messageId), SearchSources.KeyOf(new MessageDeleted(messageId, Guid.NewGuid(), UserId, At)));
        Assert.Null(SearchSources.KeyOf(new RoomMemberLeft(Guid.NewGuid(), UserId, At)));
        Assert.All(SearchSources.EventTypes, type => Assert.NotNull(type.Namespace));
    }

    [Fact]
    public void pseudonyms_are_stable_keyed_and_carry_no_id()
    {
        var key = Enumerable.Range(0, 32).Select(i => (byte)i).ToArray();
        var pseudonyms = new AnalyticsPseudonyms(key);
        var other = new AnalyticsPseudonyms([.. key.Select(b => (byte)(b + 1))]);

        Assert.Equal(pseudonyms.Trader(UserId), new AnalyticsPseudonyms(key).Trader(UserId));
        Assert.NotEqual(pseudonyms.Trader(UserId), other.Trader(UserId));
        Assert.NotEqual(pseudonyms.Trader(UserId), pseudonyms.Trader(Guid.NewGuid()));
        Assert.Matches("^t_[0-9a-f]{32}$", pseudonyms.Trader(UserId));
        Assert.DoesNotContain(UserId.ToString("N")[..8], pseudonyms.Trader(UserId), StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => new AnalyticsPseudonyms(new byte[16]));
        Assert.Equal(new DateOnly(2026, 11, 25), TradingAnalyticsProjection.Day(new DateTimeOffset(2026, 11, 24, 23, 30, 0, TimeSpan.FromHours(-5))));
    }
}
