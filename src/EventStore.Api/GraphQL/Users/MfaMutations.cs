using EventStore.Projections.Users;
using EventStore.Api.Auth;
using EventStore.Api.Auth.Mfa;
using EventStore.Api.Auth.Sessions;
using EventStore.Api.GraphQL.Errors;
using EventStore.Api.GraphQL.Hygiene;
using EventStore.Api.GraphQL.PersonalFields;
using EventStore.Domain;
using EventStore.Domain.Privacy;
using EventStore.Domain.Users;
using EventStore.Domain.Users.Mfa;
using GraphQL;
using GraphQL.Types;
using Marten;
using Microsoft.Extensions.Options;
using Wolverine;

namespace EventStore.Api.GraphQL.Users;

/// <summary>
/// Multi-factor authentication (TOTP): enrol, confirm, answer a login challenge, disable (docs/security.md). Enrolment
/// works with a bearer token, or with the login challenge of a role that must enrol before it gets any token.
/// </summary>
public static class MfaMutations
{
    private const int CodeMaxLength = 32;

    public static void AddMfaMutations(this ObjectGraphType mutation)
    {
        mutation.Field<NonNullGraphType<MfaEnrolmentType>>("startMfaEnrolment")
            .Description("Begins TOTP enrolment: returns the secret and an otpauth:// URI for an authenticator app. Signed in, "
                + "or with the `challenge` of a login that requires enrolment. Confirm with `confirmMfaEnrolment` or `verifyMfa`.")
            .Argument<StringGraphType>("challenge", arg => arg.SingleLine(4096))
            .AllowAnonymous()
            .ResolveAsync(async ctx =>
            {
                var services = ctx.RequestServices!;
                var challenge = ctx.GetArgument<string?>("challenge");
                var userId = challenge is not null
                    ? await services.GetRequiredService<MfaChallenges>().ValidateAsync(challenge)
                    : ctx.User.UserId();
                if (userId is not { } me)
                {
                    throw new ApiError(ErrorCodes.Unauthenticated, "Log in first (or pass the challenge of your login).");
                }

                var secret = TotpCodes.NewSecret();
                await Bus(ctx).InvokeAsync(new StartMfaEnrolment(me, secret), ctx.CancellationToken);
                var account = await UserQueries.AccountAsync(services.GetRequiredService<IQuerySession>(), me, ctx.CancellationToken);
                var issuer = services.GetRequiredService<IOptions<MfaOptions>>().Value.Issuer;
                return new MfaEnrolment(secret, TotpCodes.OtpAuthUri(issuer, account?.Username ?? me.ToString(), secret));
            });

        mutation.Field<NonNullGraphType<ListGraphType<NonNullGraphType<StringGraphType>>>>("confirmMfaEnrolment")
            .Description("Activates the enrolment with a current code; returns the ten one-time recovery codes (shown only now).")
            .Argument<NonNullGraphType<StringGraphType>>("code", arg => arg.SingleLine(CodeMaxLength))
            .AllowReadOnlyRoles()
            .ResolveAsync(async ctx =>
            {
                var codes = TotpCodes.NewRecoveryCodes();
                await Bus(ctx).InvokeAsync(new ConfirmMfaEnrolment(ctx.User.UserId()!.Value, ctx.GetArgument<string>("code"), codes),
                    ctx.CancellationToken);
                return codes;
            });

        mutation.Field<NonNullGraphType<LoginPayloadType>>("verifyMfa")
            .Description("Answers a login challenge with a TOTP code or a recovery code, and issues the tokens. For a login "
                + "that required enrolment, the code confirms the enrolment and `recoveryCodes` holds the recovery codes.")
            .Argument<NonNullGraphType<StringGraphType>>("challenge", arg => arg.SingleLine(4096))
            .Argument<NonNullGraphType<StringGraphType>>("code", arg => arg.SingleLine(CodeMaxLength))
            .AllowAnonymous()
            .ResolveAsync(async ctx =>
            {
                var services = ctx.RequestServices!;
                var code = ctx.GetArgument<string>("code");
                var me = await services.GetRequiredService<MfaChallenges>().ValidateAsync(ctx.GetArgument<string>("challenge"))
                    ?? throw new ApiError(ErrorCodes.Unauthenticated, "The challenge is not valid or has expired; log in again.");
                var session = services.GetRequiredService<IQuerySession>();
                var user = await UserQueries.UserAsync(session, me, ctx.CancellationToken);
                if (user is not { IsActive: true })
                {
                    throw new ApiError(ErrorCodes.Unauthenticated, "The account is deactivated.");
                }

                IReadOnlyList<string>? recoveryCodes = null;
                try
                {
                    if (user.MfaEnabled)
                    {
                        await Bus(ctx).InvokeAsync(new UseMfaCode(me, code), ctx.CancellationToken);
                    }
                    else if (user.MfaPendingSecret is not null)
                    {
                        recoveryCodes = TotpCodes.NewRecoveryCodes();
                        await Bus(ctx).InvokeAsync(new ConfirmMfaEnrolment(me, code, recoveryCodes), ctx.CancellationToken);
                    }
                    else
                    {
                        throw new ApiError(ErrorCodes.Unauthenticated, "Enrol first: startMfaEnrolment(challenge).");
                    }
                }
                catch (ForbiddenException e)
                {
                    throw new ApiError(ErrorCodes.Unauthenticated, e.Message);
                }

                var view = await UserQueries.LiveAsync(session, services.GetRequiredService<PersonalDataProtector>(), me, ctx.CancellationToken)
                    ?? throw new NotFoundException("User not found.");
                var tokens = await SessionTokensIssuer.StartAsync(services, me, view.Username ?? "", mfaVerified: true, ctx.CancellationToken);
                return LoginPayload.Signed(tokens, view) with { RecoveryCodes = recoveryCodes };
            });

        mutation.Field<NonNullGraphType<BooleanGraphType>>("disableMfa")
            .Description("Turns the second factor off; needs a current TOTP code or a recovery code. Refused for roles that "
                + "require MFA (`Auth:Mfa:RequiredRoles`).")
            .Argument<NonNullGraphType<StringGraphType>>("code", arg => arg.SingleLine(CodeMaxLength))
            .AllowReadOnlyRoles()
            .ResolveAsync(async ctx =>
            {
                var roles = ctx.User!.FindAll(AuthClaims.Role).Select(c => c.Value);
                if (ctx.RequestServices!.GetRequiredService<IOptions<MfaOptions>>().Value.IsRequiredFor(roles))
                {
                    throw new ForbiddenException("Your role requires a second factor; it cannot be disabled.");
                }

                await Bus(ctx).InvokeAsync(new UseMfaCode(ctx.User.UserId()!.Value, ctx.GetArgument<string>("code"), Disable: true),
                    ctx.CancellationToken);
                return true;
            });
    }

    private static IMessageBus Bus(IResolveFieldContext ctx) => ctx.RequestServices!.GetRequiredService<IMessageBus>();
}

public sealed record MfaEnrolment(string Secret, string OtpAuthUri);

public sealed class MfaEnrolmentType : ObjectGraphType<MfaEnrolment>
{
    public MfaEnrolmentType()
    {
        Name = "MfaEnrolment";
        Field(x => x.Secret).Description("The shared secret, base32 (for manual entry in an authenticator app).")
            .PersonalOfCaller(PersonalKind.Secret);
        Field(x => x.OtpAuthUri).Description("otpauth://totp/… URI (for a QR code).").PersonalOfCaller(PersonalKind.Secret);
    }
}

/// <summary>Picked up by convention (<see cref="RootFields"/>).</summary>
public sealed class MfaMutationRoot : IMutationFields
{
    public int Order => 12;

    public void AddTo(ObjectGraphType root) => root.AddMfaMutations();
}
