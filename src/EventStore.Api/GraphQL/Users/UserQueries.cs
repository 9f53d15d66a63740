using EventStore.Api.Auth;
using EventStore.Api.GraphQL.Errors;
using EventStore.Domain.Users;
using GraphQL;
using GraphQL.Types;
using GraphQL.Types.Relay;
using GraphQL.Types.Relay.DataObjects;
using Marten;

namespace EventStore.Api.GraphQL.Users;

public static class UserQueries
{
    public static void AddUserQueries(this ObjectGraphType query)
    {
        query.Field<UserType>("me")
            .Description("The logged-in user.")
            .ResolveAsync(async ctx => await UserReads.FindAsync(Session(ctx), ctx.User.UserId()!.Value, ctx.CancellationToken));

        query.Field<UserType>("user")
            .Description("A user's public profile; null when there is no such user.")
            .Argument<NonNullGraphType<IdGraphType>>("id")
            .ResolveAsync(async ctx => await UserReads.FindAsync(Session(ctx), Paging.Uuid(ctx, "id")!.Value, ctx.CancellationToken));

        query.Field<NonNullGraphType<ConnectionType<UserType, EdgeType<UserType>>>>("users")
            .Description("The user directory, ordered by username. Admins only.")
            .Argument<IntGraphType>("first", "Page size, 0 to 100 (default 20).")
            .Argument<StringGraphType>("after", "Cursor of the last edge already seen.")
            .Argument<UserFilterType>("filter")
            .AuthorizeWithRoles(Roles.Admin)
            .ResolveAsync(async ctx =>
            {
                var first = Paging.PageSize(ctx.GetArgument<int?>("first"));
                var after = Paging.DecodeCursor(ctx.GetArgument<string?>("after"));
                var filter = ctx.GetArgument<UserFilter?>("filter");
                var page = await UserReads.ListAsync(Session(ctx), first, after, filter?.NamePrefix, filter?.Role,
                    ctx.CancellationToken);
                return Paging.Connection(page.Items.Select(UserView.From).ToList(), x => Paging.EncodeCursor(x.Username.ToLowerInvariant()),
                    page.HasNextPage, ctx.GetArgument<string?>("after"));
            });
    }

    private static IQuerySession Session(IResolveFieldContext ctx) =>
        ctx.RequestServices!.GetRequiredService<IQuerySession>();
}

public sealed class UserFilter
{
    public string? NamePrefix { get; set; }
    public string? Role { get; set; }
}

public sealed class UserFilterType : InputObjectGraphType<UserFilter>
{
    public UserFilterType()
    {
        Name = "UserFilter";
        Field(x => x.NamePrefix, nullable: true).Description("Case-insensitive prefix of the username or display name.");
        Field<RoleType>("role").Description("Only users holding this role.");
    }
}
