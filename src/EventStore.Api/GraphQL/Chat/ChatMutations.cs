using EventStore.Api.Auth;
using EventStore.Domain;
using EventStore.Domain.Chat.Membership;
using EventStore.Domain.Chat.Messages;
using EventStore.Domain.Chat.Reading;
using EventStore.Domain.Chat.Rooms;
using EventStore.Domain.Users;
using EventStore.Projections.Chat;
using GraphQL;
using GraphQL.Types;
using Wolverine;

namespace EventStore.Api.GraphQL.Chat;

/// <summary>Chat mutations: each builds a command at the edge (ids, actor, admin flag) and hands it to Wolverine.</summary>
public static class ChatMutations
{
    public static void AddChatMutations(this ObjectGraphType mutation)
    {
        mutation.Field<NonNullGraphType<RoomPayloadType>>("createRoom")
            .Description("Creates a PUBLIC or PRIVATE room; you own it and are its first member.")
            .Argument<NonNullGraphType<CreateRoomInputType>>("input")
            .ResolveAsync(async c =>
            {
                var input = c.GetArgument<CreateRoomInput>("input");
                var id = Guid.CreateVersion7();
                await Bus(c).InvokeAsync(new CreateRoom(id, input.Name, input.Visibility, Me(c)), c.CancellationToken);
                return await RoomAsync(c, id);
            });

        mutation.Field<NonNullGraphType<RoomPayloadType>>("openDirectRoom")
            .Description("The direct room of you and another user, opened on first use.")
            .Argument<NonNullGraphType<IdGraphType>>("userId")
            .ResolveAsync(async c =>
            {
                var room = await Bus(c).InvokeAsync<DirectRoom>(new OpenDirectRoom(Me(c), Paging.Uuid(c, "userId")!.Value), c.CancellationToken);
                return await RoomAsync(c, room.RoomId);
            });

        mutation.Field<NonNullGraphType<RoomPayloadType>>("joinRoom")
            .Description("Joins a public room (private rooms are by invitation).")
            .Argument<NonNullGraphType<RoomInputType>>("input")
            .ResolveAsync(async c =>
            {
                var roomId = c.GetArgument<RoomInput>("input").RoomId;
                await Bus(c).InvokeAsync(new JoinRoom(roomId, Me(c)), c.CancellationToken);
                return await RoomAsync(c, roomId);
            });

        mutation.Field<NonNullGraphType<RoomPayloadType>>("inviteToRoom")
            .Description("Adds a user to a room you are a member of.")
            .Argument<NonNullGraphType<RoomMemberInputType>>("input")
            .ResolveAsync(async c =>
            {
                var input = c.GetArgument<RoomMemberInput>("input");
                await Bus(c).InvokeAsync(new InviteToRoom(input.RoomId, input.UserId, Me(c)), c.CancellationToken);
                return await RoomAsync(c, input.RoomId);
            });

        mutation.Field<NonNullGraphType<IdGraphType>>("leaveRoom")
            .Description("Leaves a room; returns its id.")
            .Argument<NonNullGraphType<RoomInputType>>("input")
            .ResolveAsync(async c =>
            {
                var roomId = c.GetArgument<RoomInput>("input").RoomId;
                await Bus(c).InvokeAsync(new LeaveRoom(roomId, Me(c)), c.CancellationToken);
                return roomId;
            });

        mutation.Field<NonNullGraphType<RoomPayloadType>>("removeFromRoom")
            .Description("Moderation: the room's owner or an admin removes a member.")
            .Argument<NonNullGraphType<RoomMemberInputType>>("input")
            .ResolveAsync(async c =>
            {
                var input = c.GetArgument<RoomMemberInput>("input");
                await Bus(c).InvokeAsync(new RemoveFromRoom(input.RoomId, input.UserId, Me(c), IsAdmin(c)), c.CancellationToken);
                return await RoomAsync(c, input.RoomId);
            });

        AddMessageMutations(mutation);
    }

    private static void AddMessageMutations(ObjectGraphType mutation)
    {
        mutation.Field<NonNullGraphType<MessagePayloadType>>("postMessage")
            .Description("Posts into a room you are a member of. Mentioning @assistant gets an answer in the room shortly after.")
            .Argument<NonNullGraphType<PostMessageInputType>>("input")
            .ResolveAsync(async c =>
            {
                var input = c.GetArgument<PostMessageInput>("input");
                var id = Guid.CreateVersion7();
                await Bus(c).InvokeAsync<PostedMessage>(new PostMessage(id, input.RoomId, Me(c), input.Text, input.AttachmentIds), c.CancellationToken);
                return await MessageAsync(c, id);
            });

        mutation.Field<NonNullGraphType<MessagePayloadType>>("editMessage")
            .Description("Replaces the text of your message; earlier texts are kept as its revisions.")
            .Argument<NonNullGraphType<EditMessageInputType>>("input")
            .ResolveAsync(async c =>
            {
                var input = c.GetArgument<EditMessageInput>("input");
                await Bus(c).InvokeAsync(new EditMessage(input.MessageId, Me(c), input.Text), c.CancellationToken);
                return await MessageAsync(c, input.MessageId);
            });

        mutation.Field<NonNullGraphType<MessagePayloadType>>("deleteMessage")
            .Description("Deletes a message (yours, or any as the room's owner or an admin): its text is redacted.")
            .Argument<NonNullGraphType<MessageInputType>>("input")
            .ResolveAsync(async c =>
            {
                var id = c.GetArgument<MessageInput>("input").MessageId;
                await Bus(c).InvokeAsync(new DeleteMessage(id, Me(c), IsAdmin(c)), c.CancellationToken);
                return await MessageAsync(c, id);
            });

        mutation.Field<NonNullGraphType<RoomPayloadType>>("markRead")
            .Description("Moves your read marker forward to this message.")
            .Argument<NonNullGraphType<MarkReadInputType>>("input")
            .ResolveAsync(async c =>
            {
                var input = c.GetArgument<MarkReadInput>("input");
                await Bus(c).InvokeAsync(new MarkRead(input.RoomId, Me(c), input.MessageId), c.CancellationToken);
                return await RoomAsync(c, input.RoomId);
            });
    }

    private static IMessageBus Bus(IResolveFieldContext c) => c.RequestServices!.GetRequiredService<IMessageBus>();

    private static Guid Me(IResolveFieldContext c) => c.User.UserId()!.Value;

    private static bool IsAdmin(IResolveFieldContext c) => c.User?.IsInRole(Roles.Admin) == true;

    private static async Task<RoomPayload> RoomAsync(IResolveFieldContext c, Guid id) =>
        new(await ChatQueries.RoomAsync(ChatQueryFields.Session(c), id, Me(c), IsAdmin(c), live: true, c.CancellationToken));

    private static async Task<MessagePayload> MessageAsync(IResolveFieldContext c, Guid id) =>
        new(await ChatQueries.MessageAsync(ChatQueryFields.Session(c), id, c.CancellationToken)
            ?? throw new NotFoundException("Message not found."));
}

/// <summary>Picked up by convention (<see cref="RootFields"/>).</summary>
public sealed class ChatMutationRoot : IMutationFields
{
    public int Order => 50;

    public void AddTo(ObjectGraphType root) => root.AddChatMutations();
}
