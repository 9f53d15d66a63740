using EventStore.Api.Auth;
using EventStore.Api.GraphQL.Errors;
using EventStore.Projections.Analytics;
using GraphQL;
using GraphQL.Instrumentation;
using GraphQL.Types;

namespace EventStore.Api.GraphQL.PersonalFields;

/// <summary>
/// The one place personal data is hidden by role, for every field of the schema (queries, mutation payloads and
/// subscription events alike). A field marked <c>.Personal(...)</c> read by a restricted reader (an analyst) about
/// someone else resolves to that person's pseudonym (identities, the same <c>t_…</c> as the analytics tables), to
/// an empty list (lists) or to null; where the schema does not allow null the field is refused with FORBIDDEN. The field's own resolver does not
/// run then, so nothing is read either.
/// </summary>
public sealed class PersonalDataMiddleware(AnalyticsPseudonyms pseudonyms) : IFieldMiddleware
{
    public ValueTask<object?> ResolveAsync(IResolveFieldContext context, FieldMiddlewareDelegate next)
    {
        var personal = context.FieldDefinition.GetPersonal();
        if (personal is null || !PersonalData.IsRestricted(context.User))
        {
            return next(context);
        }

        var subject = personal.Subject(context);
        if (!subject.IsPersonal || (subject.UserId is { } owner && owner == context.User.UserId()))
        {
            return next(context);
        }

        if (personal.Kind == PersonalKind.Identity && subject.UserId is { } someone)
        {
            return PersonalData.IsSystemActor(someone) ? next(context) : new(pseudonyms.Trader(someone));
        }

        var type = context.FieldDefinition.ResolvedType;
        if ((type is NonNullGraphType { ResolvedType: ListGraphType }) || type is ListGraphType)
        {
            // A list of someone's data (a message's earlier texts): empty, so the object holding it stays readable.
            return new(Array.Empty<object>());
        }

        if (type is NonNullGraphType)
        {
            throw new ApiError(ErrorCodes.Forbidden,
                $"'{context.FieldDefinition.Name}' is personal data; analysts work on pseudonymous data only.");
        }

        return new((object?)null);
    }
}
