using EventStore.Projections.Users;
using EventStore.Api.Auth;
using EventStore.Api.GraphQL.Errors;
using EventStore.Domain;
using EventStore.Domain.Users;
using EventStore.Domain.Privacy;
using EventStore.Domain.Users.Deactivating;
using EventStore.Domain.Users.Erasing;
using EventStore.Domain.Users.EditingProfiles;
using EventStore.Domain.Users.ManagingRoles;
using EventStore.Domain.Users.Registering;
using GraphQL;
using GraphQL.Types;
using Marten;
using Wolverine;

namespace EventStore.Api.GraphQL.Users;

/// <summary>Users mutations: each builds a command at the edge (ids, actor) and hands it to Wolverine.</summary>
public static class UserMutations
{
    public static void AddUserMutations(this ObjectGraphType mutation)
    {
        mutation.Field<NonNullGraphType<UserType>>("register")
            .Description("Creates a trader account. Log in afterwards to get a token.")
            .Argument<NonNullGraphType<RegisterInputType>>("input")
            .AllowAnonymous()
            .ResolveAsync(async ctx =>
            {
                var input = ctx.GetArgument<RegisterInput>("input");
                var id = Guid.CreateVersion7();
                await Bus(ctx).InvokeAsync<RegisteredUser>(
                    new RegisterUser(id, input.Username, input.Email, input.Password, input.DisplayName), ctx.CancellationToken);
                return await Live(ctx, id);
            });

        mutation.Field<NonNullGraphType<UserType>>("updateProfile")
            .Description("Changes the logged-in user's display name and bio.")
            .Argument<NonNullGraphType<UpdateProfileInputType>>("input")
            .ResolveAsync(async ctx =>
            {
                var input = ctx.GetArgument<UpdateProfileInput>("input");
                var me = ctx.User.UserId()!.Value;
                await Bus(ctx).InvokeAsync(new UpdateProfile(me, input.DisplayName, input.Bio), ctx.CancellationToken);
                return await Live(ctx, me);
            });

        mutation.Field<NonNullGraphType<UserType>>("changeEmail")
            .Description("Changes the logged-in user's e-mail address (unique across users).")
            .Argument<NonNullGraphType<ChangeEmailInputType>>("input")
            .ResolveAsync(async ctx =>
            {
                var me = ctx.User.UserId()!.Value;
                await Bus(ctx).InvokeAsync(new ChangeEmail(me, ctx.GetArgument<ChangeEmailInput>("input").Email),
                    ctx.CancellationToken);
                return await Live(ctx, me);
            });

        mutation.Field<NonNullGraphType<UserType>>("assignRole")
            .Description("Gives a user a role. Admins only.")
            .Argument<NonNullGraphType<RoleInputType>>("input")
            .AuthorizeWithRoles(Roles.Admin)
            .ResolveAsync(async ctx =>
            {
                var input = ctx.GetArgument<RoleInput>("input");
                await Bus(ctx).InvokeAsync(new AssignRole(input.UserId, input.Role, ctx.User.UserId()!.Value), ctx.CancellationToken);
                return await Live(ctx, input.UserId);
            });

        mutation.Field<NonNullGraphType<UserType>>("revokeRole")
            .Description("Takes a role away from a user. Admins only; an admin cannot revoke their own admin role.")
            .Argument<NonNullGraphType<RoleInputType>>("input")
            .AuthorizeWithRoles(Roles.Admin)
            .ResolveAsync(async ctx =>
            {
                var input = ctx.GetArgument<RoleInput>("input");
                await Bus(ctx).InvokeAsync(new RevokeRole(input.UserId, input.Role, ctx.User.UserId()!.Value), ctx.CancellationToken);
                return await Live(ctx, input.UserId);
            });

        mutation.Field<NonNullGraphType<UserType>>("deactivateUser")
            .Description("Deactivates a user: by an admin, or by the user themself. The user can no longer log in.")
            .Argument<NonNullGraphType<DeactivateUserInputType>>("input")
            .ResolveAsync(async ctx =>
            {
                var input = ctx.GetArgument<DeactivateUserInput>("input");
                var actor = ctx.User.UserId()!.Value;
                if (actor != input.UserId && ctx.User?.IsInRole(Roles.Admin) != true)
                {
                    throw new ForbiddenException("Only admins can deactivate other users.");
                }

                await Bus(ctx).InvokeAsync(new DeactivateUser(input.UserId, input.Reason, actor), ctx.CancellationToken);
                return await Live(ctx, input.UserId);
            });

        mutation.Field<NonNullGraphType<UserType>>("eraseUser")
            .Description("GDPR erasure by crypto-shredding (admins): deletes the user's personal-data key, so every personal "
                + "field of theirs in the log becomes unreadable, and deactivates them. Events, trades and the hash chain stay. "
                + "Irreversible; idempotent.")
            .Argument<NonNullGraphType<EraseUserInputType>>("input")
            .AuthorizeWithRoles(Roles.Admin)
            .ResolveAsync(async ctx =>
            {
                var input = ctx.GetArgument<EraseUserInput>("input");
                await Bus(ctx).InvokeAsync(new EraseUser(input.UserId, ctx.User.UserId()!.Value), ctx.CancellationToken);
                return await Live(ctx, input.UserId);
            });
    }

    private static IMessageBus Bus(IResolveFieldContext ctx) => ctx.RequestServices!.GetRequiredService<IMessageBus>();

    private static async Task<UserView> Live(IResolveFieldContext ctx, Guid id) =>
        await UserQueries.LiveAsync(ctx.RequestServices!.GetRequiredService<IQuerySession>(),
            ctx.RequestServices!.GetRequiredService<PersonalDataProtector>(), id, ctx.CancellationToken)
        ?? throw new NotFoundException("User not found.");
}

/// <summary>Picked up by convention (<see cref="RootFields"/>).</summary>
public sealed class UserMutationRoot : IMutationFields
{
    public int Order => 10;

    public void AddTo(ObjectGraphType root) => root.AddUserMutations();
}
