using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace EventStore.Api.Auth;

public static class AuthSetup
{
    public static IServiceCollection AddEventStoreAuth(this IServiceCollection services)
    {
        services.AddOptions<JwtOptions>().BindConfiguration(JwtOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<SigningKeyProvider>();
        services.AddSingleton<TokenIssuer>();
        services.AddOptions<Mfa.MfaOptions>().BindConfiguration(Mfa.MfaOptions.SectionName).ValidateOnStart();
        services.AddSingleton<IValidateOptions<Mfa.MfaOptions>, Mfa.MfaOptionsValidator>();
        services.AddSingleton<Mfa.MfaChallenges>();
        services.AddSingleton<Sessions.SecurityCache>();
        services.AddSingleton<Sessions.SecurityChangeListener>();
        services.AddSingleton<Sessions.SessionGuard>();
        services.AddSingleton<Sessions.SecurityNotifications>();
        services.AddHostedService(sp => sp.GetRequiredService<Sessions.SecurityNotifications>());
        services.AddHostedService<AdminBootstrapper>();

        services.AddSingleton<ValidatedTokenCache>();
        services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer();
        services.AddOptions<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme)
            .Configure<IOptions<JwtOptions>, SigningKeyProvider, ValidatedTokenCache>((bearer, jwt, keys, tokens) =>
            {
                bearer.MapInboundClaims = false;
                // The same checks, run once per token text until its expiry (ValidatedTokenCache).
                bearer.TokenHandlers.Clear();
                bearer.TokenHandlers.Add(tokens);
                bearer.TokenValidationParameters = new TokenValidationParameters
                {
                    ValidIssuer = jwt.Value.Issuer,
                    ValidAudience = jwt.Value.Audience,
                    IssuerSigningKey = keys.Key,
                    ValidAlgorithms = [SecurityAlgorithms.HmacSha256],
                    ValidateIssuer = true,
                    ValidateAudience = true,
                    ValidateLifetime = true,
                    ValidateIssuerSigningKey = true,
                    RequireExpirationTime = true,
                    RequireSignedTokens = true,
                    ClockSkew = jwt.Value.ClockSkew,
                    NameClaimType = JwtRegisteredClaimNames.UniqueName,
                    RoleClaimType = AuthClaims.Role,
                };
                // A valid signature is not enough: the session must be live and the security stamp current (from the
                // node's cache: no database round trip per request). A refused token leaves the request anonymous.
                bearer.Events = new JwtBearerEvents
                {
                    OnTokenValidated = async context =>
                    {
                        var guard = context.HttpContext.RequestServices.GetRequiredService<Sessions.SessionGuard>();
                        if (context.Principal is null || !await guard.IsCurrentAsync(context.Principal, context.HttpContext.RequestAborted))
                        {
                            context.Fail("The session was revoked or the user changed; log in again.");
                        }
                    },
                };
            });
        services.AddAuthorization();
        return services;
    }
}
