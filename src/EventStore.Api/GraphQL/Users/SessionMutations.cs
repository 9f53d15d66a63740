using EventStore.Projections.Users;
using EventStore.Api.Auth;
using EventStore.Api.Auth.Sessions;
using EventStore.Api.GraphQL.Errors;
using EventStore.Api.GraphQL.Hygiene;
using EventStore.Api.GraphQL.PersonalFields;
using EventStore.Domain.Privacy;
using EventStore.Domain.Users;
using EventStore.Domain.Users.LoggingIn;
using EventStore.Domain.Users.Sessions;
using GraphQL;
using GraphQL.Types;
using Marten;
using Microsoft.AspNetCore.Identity;
using Wolverine;

namespace EventStore.Api.GraphQL.Users;

/// <summary>Sign-in and sessions: login, refresh (rotating), logout, logout everywhere, password change (docs/api.md).</summary>
public static class SessionMutations
{
    public const string RefreshRefused = "The refresh token is not valid or the session has ended; log in again.";

    public static void AddSessionMutations(this ObjectGraphType mutation)
    {
        mutation.Field<NonNullGraphType<LoginPayloadType>>("login")
            .Description("Exchanges username and password for an access token and a refresh token, or, when the account "
                + "needs a second factor, for a challenge to answer with `verifyMfa` (see `mfaRequired`).")
            .Argument<NonNullGraphType<LoginInputType>>("input")
            .AllowAnonymous()
            .ResolveAsync(async ctx =>
            {
                var input = ctx.GetArgument<LoginInput>("input");
                var services = ctx.RequestServices!;
                var session = services.GetRequiredService<IQuerySession>();
                var user = await LogIn.AuthenticateAsync(session, services.GetRequiredService<IPasswordHasher<UserAccount>>(),
                    input.Username, input.Password, ctx.CancellationToken)
                    ?? throw new ApiError(ErrorCodes.Unauthenticated, "Unknown username or wrong password, or the account is deactivated.");
                var view = UserView.From(user, await services.GetRequiredService<PersonalDataProtector>().OpenerAsync(session, [user.Id], ctx.CancellationToken));
                var username = view.Username ?? input.Username.Trim();
                if (services.GetRequiredService<Auth.Mfa.MfaChallenges>().For(user) is { } challenge)
                {
                    // The password was right, but it is not enough: no token, no user data until the second factor.
                    return new LoginPayload(null, null, null, null, null, true, challenge.EnrolmentRequired, challenge.Token,
                        challenge.ExpiresAt);
                }

                return LoginPayload.Signed(await SessionTokensIssuer.StartAsync(services, user.Id, username, mfaVerified: false,
                    ctx.CancellationToken), view);
            });

        mutation.Field<NonNullGraphType<LoginPayloadType>>("refreshToken")
            .Description("Exchanges a refresh token for a new access token and a new refresh token (rotation: each refresh "
                + "token works once; presenting a used one again revokes the whole session).")
            .Argument<NonNullGraphType<StringGraphType>>("refreshToken", arg => arg.SingleLine(200))
            .AllowAnonymous()
            .ResolveAsync(async ctx =>
            {
                var services = ctx.RequestServices!;
                var token = RefreshToken.Parse(ctx.GetArgument<string>("refreshToken"))
                    ?? throw new ApiError(ErrorCodes.Unauthenticated, RefreshRefused);
                var outcome = await services.GetRequiredService<IMessageBus>().InvokeAsync<RefreshOutcome>(
                    new RefreshSession(token), ctx.CancellationToken);
                if (outcome.Session is not { } renewed || outcome.Token is not { } next)
                {
                    throw new ApiError(ErrorCodes.Unauthenticated, outcome.Refusal ?? RefreshRefused);
                }

                var query = services.GetRequiredService<IQuerySession>();
                var security = await SessionTokensIssuer.LoadAsync(query, renewed.UserId, ctx.CancellationToken);
                var account = await UserQueries.AccountAsync(query, renewed.UserId, ctx.CancellationToken);
                if (security is not { IsActive: true } || account is null)
                {
                    throw new ApiError(ErrorCodes.Unauthenticated, RefreshRefused);
                }

                // A role that needs a second factor granted after this session began without one: no token (AccessAsync).
                var access = await SessionTokensIssuer.AccessAsync(services, renewed.UserId, account.Username, renewed.Id,
                    renewed.MfaVerified, ctx.CancellationToken);
                return LoginPayload.Signed(new SessionTokens(access, next, renewed.ExpiresAt), null);
            });

        mutation.Field<NonNullGraphType<BooleanGraphType>>("logout")
            .Description("Ends the caller's session: its refresh token and access tokens stop working at once.")
            .AllowReadOnlyRoles()
            .ResolveAsync(async ctx =>
            {
                var me = ctx.User.UserId()!.Value;
                if (ctx.User.SessionIdOf() is { } sessionId)
                {
                    await Bus(ctx).InvokeAsync(new EndSession(sessionId, me), ctx.CancellationToken);
                }

                return true;
            });

        mutation.Field<NonNullGraphType<BooleanGraphType>>("logoutEverywhere")
            .Description("Ends every session of the caller, on every device: all their tokens stop working at once.")
            .AllowReadOnlyRoles()
            .ResolveAsync(async ctx =>
            {
                await Bus(ctx).InvokeAsync(new LogOutEverywhere(ctx.User.UserId()!.Value), ctx.CancellationToken);
                return true;
            });

        mutation.Field<NonNullGraphType<LoginPayloadType>>("changePassword")
            .Description("Changes the caller's password (the current one is required). Every other session ends; this one "
                + "goes on with the new access token returned here (its refresh token stays valid).")
            .Argument<NonNullGraphType<ChangePasswordInputType>>("input")
            .AllowReadOnlyRoles()
            .ResolveAsync(async ctx =>
            {
                var input = ctx.GetArgument<ChangePasswordInput>("input");
                var services = ctx.RequestServices!;
                var me = ctx.User.UserId()!.Value;
                var sessionId = ctx.User.SessionIdOf()!.Value;
                await Bus(ctx).InvokeAsync(new ChangePassword(me, sessionId, input.CurrentPassword, input.NewPassword), ctx.CancellationToken);
                var session = await UserQueries.SessionAsync(services.GetRequiredService<IQuerySession>(), sessionId, ctx.CancellationToken);
                var access = await SessionTokensIssuer.AccessAsync(services, me, ctx.User?.Identity?.Name ?? "", sessionId,
                    session?.MfaVerified == true, ctx.CancellationToken);
                return new LoginPayload(access.Token, access.ExpiresAt, null, null, null, false, false, null, null);
            });
    }

    private static IMessageBus Bus(IResolveFieldContext ctx) => ctx.RequestServices!.GetRequiredService<IMessageBus>();
}

/// <summary>Marks a mutation that auditors and analysts may call too: it changes only their own sign-in, never data.</summary>
public static class ReadOnlyRoleAccess
{
    public const string Key = "eventstore:allowReadOnlyRoles";

    public static global::GraphQL.Builders.FieldBuilder<TSource, TReturn> AllowReadOnlyRoles<TSource, TReturn>(
        this global::GraphQL.Builders.FieldBuilder<TSource, TReturn> builder) => builder.WithMetadata(Key, true);

    public static bool AllowsReadOnlyRoles(this IFieldType field) => field.GetMetadata(Key, false);
}

public sealed record LoginPayload(
    string? Token,
    DateTimeOffset? ExpiresAt,
    string? RefreshToken,
    DateTimeOffset? RefreshTokenExpiresAt,
    UserView? User,
    bool MfaRequired,
    bool MfaEnrolmentRequired,
    string? Challenge,
    DateTimeOffset? ChallengeExpiresAt)
{
    /// <summary>Set once: by `verifyMfa` when it completed an enrolment (shown only then).</summary>
    public IReadOnlyList<string>? RecoveryCodes { get; init; }

    public static LoginPayload Signed(SessionTokens tokens, UserView? user) =>
        new(tokens.Access.Token, tokens.Access.ExpiresAt, tokens.Refresh.ToString(), tokens.RefreshExpiresAt, user,
            false, false, null, null);
}

public sealed class LoginPayloadType : ObjectGraphType<LoginPayload>
{
    public LoginPayloadType()
    {
        Name = "LoginPayload";
        Field(x => x.Token, nullable: true).Description(
            "Access token for the Authorization header (or connection_init payload); short-lived (`Jwt:TokenLifetime`). "
            + "Null while a second factor is required.");
        Field(x => x.ExpiresAt, nullable: true);
        Field(x => x.RefreshToken, nullable: true).Description(
            "Refresh token for `refreshToken`: single use, rotated on every refresh. Null while a second factor is required "
            + "and in `changePassword` (the session's refresh token stays valid).");
        Field(x => x.RefreshTokenExpiresAt, nullable: true).Description("End of the session (`Jwt:RefreshTokenLifetime` after login).");
        Field<UserType>("user").Description("The signed-in user; null until every factor is verified.").Resolve(ctx => ctx.Source.User);
        Field(x => x.MfaRequired).Description("A second factor is needed: answer `challenge` with `verifyMfa`.");
        Field(x => x.MfaEnrolmentRequired).Description(
            "Your role needs a second factor and none is enrolled: `startMfaEnrolment(challenge)`, then `verifyMfa`.");
        Field(x => x.Challenge, nullable: true).Description("Challenge token for `verifyMfa` / `startMfaEnrolment` (5 minutes).");
        Field(x => x.ChallengeExpiresAt, nullable: true);
        Field<ListGraphType<NonNullGraphType<StringGraphType>>>("recoveryCodes")
            .Description("One-time recovery codes, returned once by `verifyMfa` when it completed an enrolment.")
            .Personal(PersonalKind.Secret, x => x.User?.Id)
            .Resolve(ctx => ctx.Source.RecoveryCodes);
    }
}

public sealed class ChangePasswordInput
{
    public string CurrentPassword { get; set; } = "";
    public string NewPassword { get; set; } = "";
}

public sealed class ChangePasswordInputType : InputObjectGraphType<ChangePasswordInput>
{
    public ChangePasswordInputType()
    {
        Name = "ChangePasswordInput";
        Field(x => x.CurrentPassword).SingleLine(UserRules.PasswordMaxLength);
        Field(x => x.NewPassword).SingleLine(UserRules.PasswordMaxLength);
    }
}

/// <summary>Picked up by convention (<see cref="RootFields"/>).</summary>
public sealed class SessionMutationRoot : IMutationFields
{
    public int Order => 11;

    public void AddTo(ObjectGraphType root) => root.AddSessionMutations();
}
