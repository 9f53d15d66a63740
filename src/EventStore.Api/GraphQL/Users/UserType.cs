using EventStore.Api.Auth;
using EventStore.Api.GraphQL.PersonalFields;
using EventStore.Domain.Users;
using EventStore.Api.GraphQL.Loading;
using EventStore.Projections.Users;
using GraphQL.Types;
using Marten;

namespace EventStore.Api.GraphQL.Users;

public sealed class UserType : ObjectGraphType<UserView>
{
    public UserType()
    {
        Name = "User";
        Field<NonNullGraphType<IdGraphType>>("id").Resolve(ctx => ctx.Source.Id);
        Field(x => x.Username, nullable: true).Description("Null once the user's personal data is erased.")
            .Personal(PersonalKind.Identity, x => x.Id);
        Field(x => x.DisplayName, nullable: true).Description("Null once the user's personal data is erased.")
            .Personal(PersonalKind.Profile, x => x.Id);
        Field(x => x.Bio, nullable: true).Personal(PersonalKind.Profile, x => x.Id);
        Field<IdGraphType>("avatarFileId")
            .Description("The file of the user's profile picture (setAvatar), readable by anyone signed in at GET /files/{id}; null when none is set or once the user is erased.")
            .Personal(PersonalKind.Profile, x => x.Id)
            .Resolve(ctx => ctx.Batch<Guid, Guid?>("users.avatar", ctx.Source.Id, s => async (ids, ct) =>
                (await UserQueries.AvatarsAsync(s.GetRequiredService<IQuerySession>(), ids, ct)).ToDictionary(x => x.Key, x => (Guid?)x.Value)));
        Field<StringGraphType>("email")
            .Description("Visible to the user themself and to admins; null for everyone else.")
            .Personal(PersonalKind.Profile, x => x.Id)
            .Resolve(ctx => ctx.User.UserId() == ctx.Source.Id || ctx.User?.IsInRole(Roles.Admin) == true
                ? ctx.Source.Email
                : null);
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<RoleType>>>>("roles").Resolve(ctx => ctx.Source.Roles);
        Field(x => x.IsActive);
        Field<NonNullGraphType<BooleanGraphType>>("erased")
            .Description("True once an admin erased the user's personal data (GDPR).")
            .Resolve(ctx => ctx.Source.IsErased);
        Field(x => x.RegisteredAt);
        Field<NonNullGraphType<LongGraphType>>("version")
            .Description("Version of the user's event stream this view reflects.")
            .Resolve(ctx => ctx.Source.Version);
    }
}

public sealed class RoleType : EnumerationGraphType
{
    public RoleType()
    {
        Name = "Role";
        foreach (var role in Roles.All)
        {
            Add(role.ToUpperInvariant(), role);
        }
    }
}
