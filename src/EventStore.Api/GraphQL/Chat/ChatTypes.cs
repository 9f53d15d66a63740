using EventStore.Api.Auth;
using EventStore.Api.GraphQL.PersonalFields;
using EventStore.Domain.Chat;
using EventStore.Projections.Chat;
using EventStore.Api.GraphQL.Loading;
using GraphQL.Types;
using Marten;

namespace EventStore.Api.GraphQL.Chat;

public sealed class RoomVisibilityType : EnumerationGraphType<RoomVisibility>
{
    public RoomVisibilityType() => Name = "RoomVisibility";
}

public sealed class RoomGraphType : ObjectGraphType<ChatRoomView>
{
    public RoomGraphType()
    {
        Name = "Room";
        Field<NonNullGraphType<IdGraphType>>("id").Resolve(c => c.Source.Id);
        Field(x => x.Name, nullable: true).Description("Empty for direct rooms; null once its creator's personal data is erased.")
            .Personal(PersonalKind.Text, x => x.OwnerId);
        Field<NonNullGraphType<RoomVisibilityType>>("visibility").Resolve(c => c.Source.Visibility);
        Field<IdGraphType>("ownerId").Description("Null for direct rooms, which have no owner.")
            .Resolve(c => c.Source.OwnerId == Guid.Empty ? null : c.Source.OwnerId);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<RoomMemberType>>>>("members").Resolve(c => c.Source.Members);
        Field<NonNullGraphType<BooleanGraphType>>("isMember").Resolve(c => c.Source.MemberIds.Contains(c.User.UserId() ?? Guid.Empty));
        Field<NonNullGraphType<IntGraphType>>("unreadCount")
            .Description("Messages by others, not deleted, after your read marker; 0 when you are not a member.")
            .Resolve(c => c.User.UserId() is { } me && c.Source.MemberIds.Contains(me)
                ? c.Batch<Guid, int>("chat.unreadCount", c.Source.Id, services => (ids, ct) =>
                    ChatQueries.UnreadCountsAsync(services.GetRequiredService<IQuerySession>(), me, ids, ct))
                : 0);
        Field(x => x.CreatedAt);
        Field(x => x.UpdatedAt);
        Field<NonNullGraphType<LongGraphType>>("version").Resolve(c => c.Source.Version);
    }
}

public sealed class RoomMemberType : ObjectGraphType<RoomMemberEntry>
{
    public RoomMemberType()
    {
        Name = "RoomMember";
        Field<NonNullGraphType<IdGraphType>>("userId").Resolve(c => c.Source.UserId);
        Field<StringGraphType>("username")
            .Personal(PersonalKind.Identity, x => x.UserId)
            .Resolve(c => ChatUsernames.Load(c, c.Source.UserId));
        Field(x => x.JoinedAt);
        Field<IdGraphType>("invitedBy").Resolve(c => c.Source.InvitedBy);
    }
}

public sealed class MessageGraphType : ObjectGraphType<ChatMessageView>
{
    public MessageGraphType()
    {
        Name = "Message";
        Field<NonNullGraphType<IdGraphType>>("id").Resolve(c => c.Source.Id);
        Field<NonNullGraphType<IdGraphType>>("roomId").Resolve(c => c.Source.RoomId);
        Field<NonNullGraphType<IdGraphType>>("authorId").Resolve(c => c.Source.AuthorId);
        Field<StringGraphType>("author").Description("The author's username; `assistant` for the assistant's replies.")
            .Personal(PersonalKind.Identity, x => x.AuthorId)
            .Resolve(c => ChatUsernames.Load(c, c.Source.AuthorId));
        Field(x => x.Text, nullable: true).Description("Null once deleted (redacted).").Personal(PersonalKind.Text, x => x.AuthorId);
        Field(x => x.Deleted);
        Field<IdGraphType>("deletedBy").Resolve(c => c.Source.DeletedBy);
        Field(x => x.DeletedAt, nullable: true);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<IdGraphType>>>>("mentions")
            .Description("Users mentioned with @username.").Resolve(c => c.Source.MentionedUserIds);
        Field(x => x.MentionsAssistant);
        Field<IdGraphType>("interactionId").Description("On the assistant's replies: the interaction behind the text.")
            .Resolve(c => c.Source.InteractionId);
        Field(x => x.PostedAt);
        Field(x => x.EditedAt, nullable: true);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<MessageRevisionType>>>>("revisions")
            .Description("Earlier texts, oldest first; empty once deleted.").Personal(PersonalKind.Text, x => x.AuthorId)
            .Resolve(c => c.Source.Revisions);
        Field<NonNullGraphType<LongGraphType>>("version").Resolve(c => c.Source.Version);
    }
}

public sealed class MessageRevisionType : ObjectGraphType<MessageRevision>
{
    public MessageRevisionType()
    {
        Name = "MessageRevision";
        Field(x => x.Text).Personal(PersonalKind.Text, c => DataSubject.Of(PersonalData.Ancestor<ChatMessageView>(c)?.AuthorId));
        Field(x => x.WrittenAt);
    }
}

public sealed record RoomPayload(ChatRoomView Room);

public sealed class RoomPayloadType : ObjectGraphType<RoomPayload>
{
    public RoomPayloadType()
    {
        Name = "RoomPayload";
        Field<NonNullGraphType<RoomGraphType>>("room").Resolve(c => c.Source.Room);
    }
}

public sealed record MessagePayload(ChatMessageView Message);

public sealed class MessagePayloadType : ObjectGraphType<MessagePayload>
{
    public MessagePayloadType()
    {
        Name = "MessagePayload";
        Field<NonNullGraphType<MessageGraphType>>("message").Resolve(c => c.Source.Message);
    }
}

/// <summary>Room members' and message authors' usernames, batched per request (the assistant's replies: its own name).</summary>
public static class ChatUsernames
{
    public static global::GraphQL.DataLoader.IDataLoaderResult<string?> Load(global::GraphQL.IResolveFieldContext c, Guid userId) =>
        c.Batch<Guid, string>("chat.username", userId, services => (ids, ct) =>
            ChatQueries.UsernamesAsync(services.GetRequiredService<IQuerySession>(), ids, ct));
}
