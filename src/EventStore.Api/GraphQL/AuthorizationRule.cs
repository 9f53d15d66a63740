using EventStore.Api.Auth;
using EventStore.Api.GraphQL.Errors;
using EventStore.Domain.Users;
using GraphQL;
using GraphQL.Types;
using GraphQL.Validation;
using GraphQLParser.AST;

namespace EventStore.Api.GraphQL;

/// <summary>
/// Enforces the schema's authorization metadata before anything executes (GraphQL.NET's `Authorize()` and
/// `AuthorizeWithRoles()` are only labels without such a rule). Deny by default: every root field needs an
/// authenticated user unless it is marked `AllowAnonymous()`; a field with roles needs one of them.
/// Introspection (`__schema`, `__type`, `__typename`) stays open: the schema is published under schemas/ anyway.
/// </summary>
public sealed class AuthorizationRule : ValidationRuleBase
{
    public override ValueTask<INodeVisitor?> GetPreNodeVisitorAsync(ValidationContext context) =>
        new(new MatchingNodeVisitor<GraphQLField>((node, ctx) => Check(node, ctx)));

    private static void Check(GraphQLField node, ValidationContext context)
    {
        var field = context.TypeInfo.GetFieldDef();
        var parent = context.TypeInfo.GetParentType()?.GetNamedType();
        if (field is null || field.Name.StartsWith("__", StringComparison.Ordinal))
        {
            return;
        }

        var user = context.User;
        var isRoot = parent is not null && (parent == context.Schema.Query || parent == context.Schema.Mutation
            || parent == context.Schema.Subscription);
        var roles = field.GetRoles();
        var needsUser = (isRoot && !field.IsAnonymousAllowed()) || field.IsAuthorizationRequired() || roles is { Count: > 0 };
        if (!needsUser)
        {
            return;
        }

        if (!user.IsAuthenticatedUser())
        {
            context.ReportError(new AuthorizationError(context, node, ErrorCodes.Unauthenticated,
                $"You must be logged in to use '{field.Name}'."));
            return;
        }

        if (isRoot && parent == context.Schema.Mutation && !field.IsAnonymousAllowed() && !Users.ReadOnlyRoleAccess.AllowsReadOnlyRoles(field)
            && (user!.IsInRole(Roles.Auditor) || user.IsInRole(Roles.Analyst)))
        {
            // Separation of duties: whoever holds a read-only role (auditor, analyst) changes nothing.
            context.ReportError(new AuthorizationError(context, node, ErrorCodes.Forbidden,
                $"'{field.Name}' changes data; auditors and analysts have read-only access."));
            return;
        }

        if (roles is { Count: > 0 } && !roles.Any(role => user!.IsInRole(role)))
        {
            context.ReportError(new AuthorizationError(context, node, ErrorCodes.Forbidden,
                $"'{field.Name}' requires the role {string.Join(" or ", roles)}."));
        }
    }
}

/// <summary>A refusal found while validating the document: nothing of the operation runs.</summary>
public sealed class AuthorizationError : ValidationError
{
    public AuthorizationError(ValidationContext context, ASTNode node, string code, string message)
        : base(context.Document.Source, null, message, node)
    {
        Code = code;
    }
}
