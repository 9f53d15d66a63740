using System.Globalization;
using EventStore.Api.Auth;
using EventStore.GraphQL.Transport;
using EventStore.GraphQL.Transport.Limits.RateLimiting;
using EventStore.Domain.Users;
using GraphQLParser.AST;

namespace EventStore.Api.Files;

/// <summary>
/// What every file request passes first, as a GraphQL operation would: a bearer token of a live session (the same
/// authentication as `/graphql`), no writes for the read-only roles, and the one rate limiter of the API, where an
/// upload or a download counts as one root field (`uploadFile`, `downloadFile`) against the caller's allowance.
/// </summary>
public sealed class FileRequestGate(OperationRateLimiter limiter)
{
    public async Task<IResult?> CheckAsync(HttpContext http, string operation, bool writes)
    {
        if (!http.User.IsAuthenticatedUser())
        {
            http.Response.Headers.WWWAuthenticate = "Bearer";
            return FileErrors.Error(StatusCodes.Status401Unauthorized, "UNAUTHENTICATED", "Send a bearer token.");
        }

        if (writes && (http.User.IsInRole(Roles.Auditor) || http.User.IsInRole(Roles.Analyst)))
        {
            return FileErrors.Error(StatusCodes.Status403Forbidden, "FORBIDDEN", "Auditors and analysts have read-only access.");
        }

        var field = new RootField(new GraphQLField(new GraphQLName(operation)), operation, null);
        var decision = await limiter.DecideAsync(http.User, GraphQLUserContext.For(http).ClientAddress, [field], http.RequestAborted);
        if (decision.AllRefused)
        {
            var seconds = Math.Max(1, (int)Math.Ceiling(decision.RetryAfter.TotalSeconds));
            http.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
            return FileErrors.Error(StatusCodes.Status429TooManyRequests, "RATE_LIMITED", "Too many requests; try again later.");
        }

        return null;
    }
}
