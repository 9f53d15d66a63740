using EventStore.Projections.Users;
using EventStore.Api.Auth;
using EventStore.Api.GraphQL.Errors;
using EventStore.Api.GraphQL.Hygiene;
using EventStore.Domain;
using EventStore.Domain.Privacy;
using EventStore.Domain.Users;
using GraphQL;
using GraphQL.Types;
using GraphQL.Types.Relay;
using GraphQL.Types.Relay.DataObjects;
using Marten;

namespace EventStore.Api.GraphQL.Users;

public static class UserQueryFields
{
    public static void AddUserQueries(this ObjectGraphType query)
    {
        query.Field<UserType>("me")
            .Description("The logged-in user.")
            .ResolveAsync(async ctx => await UserQueries.FindAsync(Session(ctx), Protector(ctx), ctx.User.UserId()!.Value, ctx.CancellationToken));

        query.Field<UserType>("user")
            .Description("A user's public profile; null when there is no such user. Analysts (who never see personal data) are refused.")
            .Argument<NonNullGraphType<IdGraphType>>("id")
            .ResolveAsync(async ctx =>
            {
                var id = Paging.Uuid(ctx, "id")!.Value;
                if (id != ctx.User.UserId() && ctx.User!.IsInRole(Roles.Analyst) && !ctx.User.IsInRole(Roles.Admin))
                {
                    throw new ForbiddenException("Analysts work on pseudonymous data and cannot read user profiles.");
                }

                return await UserQueries.FindAsync(Session(ctx), Protector(ctx), id, ctx.CancellationToken);
            });

        query.Field<NonNullGraphType<ConnectionType<UserType, EdgeType<UserType>>>>("users")
            .Description("The user directory, ordered by username. Admins only.")
            .Argument<IntGraphType>("first", "Page size, 0 to 100 (default 20).")
            .Argument<StringGraphType>("after", "Cursor of the last edge already seen.", a => a.SingleLine(Paging.MaxCursorLength))
            .Argument<UserFilterType>("filter")
            .AuthorizeWithRoles(Roles.Admin)
            .ResolveAsync(async ctx =>
            {
                var first = Paging.PageSize(ctx.GetArgument<int?>("first"));
                var after = Paging.DecodeCursor(ctx.GetArgument<string?>("after"));
                var filter = ctx.GetArgument<UserFilter?>("filter");
                var page = await UserQueries.ListAsync(Session(ctx), first, after, filter?.NamePrefix, filter?.Role,
                    ctx.CancellationToken);
                var keys = page.Items.ToDictionary(p => p.Id, p => p.UsernameKey);
                return Paging.Connection(page.Items.Select(UserView.From).ToList(), x => Paging.EncodeCursor(keys[x.Id]),
                    page.HasNextPage, ctx.GetArgument<string?>("after"));
            });
    }

    private static IQuerySession Session(IResolveFieldContext ctx) =>
        ctx.RequestServices!.GetRequiredService<IQuerySession>();

    private static PersonalDataProtector Protector(IResolveFieldContext ctx) =>
        ctx.RequestServices!.GetRequiredService<PersonalDataProtector>();
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
        Field(x => x.NamePrefix, nullable: true).SingleLine(UserRules.DisplayNameMaxLength).Description("Case-insensitive prefix of the username or display name.");
        Field<RoleType>("role").Description("Only users holding this role.");
    }
}

/// <summary>Picked up by convention (<see cref="RootFields"/>).</summary>
public sealed class UserQueryRoot : IQueryFields
{
    public int Order => 10;

    public void AddTo(ObjectGraphType root) => root.AddUserQueries();
}
