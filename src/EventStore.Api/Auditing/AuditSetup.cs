using EventStore.Api.Auth;
using EventStore.Domain.Auditing;
using EventStore.Domain.Users;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace EventStore.Api.Auditing;

public static class AuditSetup
{
    public static IServiceCollection AddAuditLedger(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<AuditOptions>().Bind(configuration.GetSection(AuditOptions.SectionName)).ValidateDataAnnotations().ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<AuditSigningKey>();
        services.AddSingleton<AuditLedger>();
        if (configuration.GetValue(AuditOptions.SectionName + ":" + nameof(AuditOptions.LedgerEnabled), true))
        {
            services.AddHostedService<LedgerBuilder>();
        }

        return services;
    }

    /// <summary>
    /// `GET /audit/export`, `GET /audit/checkpoint` (auditor or admin) and `GET /audit/public-key` (anonymous: it is public).
    /// </summary>
    public static IEndpointRouteBuilder MapAuditExport(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/audit/export", async (HttpContext context, AuditLedger ledger, IOptions<AuditOptions> options,
            long? fromSequence, long? toSequence) =>
        {
            if (Denied(context) is { } denied)
            {
                return denied;
            }

            // Who exported what is itself part of the audit trail (recorded before the first byte leaves).
            await context.RequestServices.GetRequiredService<Wolverine.IMessageBus>().InvokeAsync(new RecordAuditAccess(
                context.User.UserId()!.Value, "export",
                System.Text.Json.JsonSerializer.Serialize(new { fromSequence, toSequence }), 0), context.RequestAborted);

            context.Response.ContentType = AuditExport.ContentType;
            var body = context.Response.BodyWriter;
            await AuditExport.WriteAsync(ledger, Math.Max(1, fromSequence ?? 1), toSequence ?? long.MaxValue, options.Value.BatchSize, body,
                async ct => await body.FlushAsync(ct), context.RequestAborted);
            return Results.Empty;
        });

        endpoints.MapGet("/audit/checkpoint", async (HttpContext context, AuditLedger ledger, long? atOrBefore) =>
        {
            if (Denied(context) is { } denied)
            {
                return denied;
            }

            var checkpoint = await ledger.LatestCheckpointAsync(atOrBefore, context.RequestAborted);
            return checkpoint is null ? Results.NotFound() : Results.Text(checkpoint.ToJson(), "application/json");
        });

        endpoints.MapGet("/audit/public-key", (AuditSigningKey key) => Results.Text(key.PublicKeyPem, "application/x-pem-file"));
        return endpoints;
    }

    private static IResult? Denied(HttpContext context) =>
        context.User.Identity?.IsAuthenticated != true ? Results.Unauthorized()
        : context.User.IsInRole(Roles.Auditor) || context.User.IsInRole(Roles.Admin) ? null
        : Results.StatusCode(StatusCodes.Status403Forbidden);
}
