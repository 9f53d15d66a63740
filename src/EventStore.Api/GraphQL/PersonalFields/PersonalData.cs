using System.Security.Claims;
using EventStore.Api.Auth;
using EventStore.Domain.Chat;
using EventStore.Domain.Users;
using GraphQL;
using GraphQL.Builders;
using GraphQL.Types;

namespace EventStore.Api.GraphQL.PersonalFields;

/// <summary>What kind of personal data a field holds; it decides what a reader without the right to it gets instead.</summary>
public enum PersonalKind
{
    /// <summary>Who someone is (a username): a pseudonym instead.</summary>
    Identity,

    /// <summary>Names, bios, phone numbers, e-mail addresses: null (or refused where the field cannot be null).</summary>
    Profile,

    /// <summary>What someone wrote (messages, prompts, answers, free-text ids): null or refused.</summary>
    Text,

    /// <summary>Secrets of the person (TOTP secret, recovery codes): null or refused.</summary>
    Secret,
}

/// <summary>Whose data a value is: a user, nobody (not personal in this instance) or someone not known here.</summary>
public readonly record struct DataSubject(Guid? UserId, bool IsPersonal)
{
    public static DataSubject Of(Guid? userId) => new(userId, true);

    /// <summary>This value is not about a person (an instrument's search hit, the assistant's own name).</summary>
    public static readonly DataSubject Nobody = new(null, false);

    /// <summary>Someone's, but not known whose: hidden from every restricted reader.</summary>
    public static readonly DataSubject Unknown = new(null, true);
}

/// <summary>The marking on one field: the kind of data and how to find whose it is.</summary>
public sealed record PersonalField(PersonalKind Kind, Func<IResolveFieldContext, DataSubject> Subject);

/// <summary>
/// Personal fields are marked once, where the field is declared (<c>.Personal(kind, subject)</c>): the marking is metadata
/// the <see cref="PersonalDataMiddleware"/> enforces for every field of the schema, and the SDL shows it as
/// <c>@personal(kind: ...)</c>. Who may read it: everyone the field's own resolver serves, except readers restricted to
/// pseudonymous data (analysts), who see only their own.
/// </summary>
public static class PersonalData
{
    public const string MetadataKey = "eventstore:personal";
    public const string DirectiveName = "personal";

    public static FieldBuilder<TSource, TReturn> Personal<TSource, TReturn>(this FieldBuilder<TSource, TReturn> builder,
        PersonalKind kind, Func<TSource, Guid?> subject) =>
        builder.Personal(kind, c => c.Source is TSource source ? DataSubject.Of(subject(source)) : DataSubject.Unknown);

    public static FieldBuilder<TSource, TReturn> Personal<TSource, TReturn>(this FieldBuilder<TSource, TReturn> builder,
        PersonalKind kind, Func<IResolveFieldContext, DataSubject> subject) =>
        builder.WithMetadata(MetadataKey, new PersonalField(kind, subject))
            .ApplyDirective(DirectiveName, "kind", kind.ToString().ToUpperInvariant());

    /// <summary>Data that is only ever served to the person it is about (their notifications, their MFA secret).</summary>
    public static FieldBuilder<TSource, TReturn> PersonalOfCaller<TSource, TReturn>(this FieldBuilder<TSource, TReturn> builder,
        PersonalKind kind) =>
        builder.Personal(kind, c => DataSubject.Of(c.User.UserId()));

    public static PersonalField? GetPersonal(this IFieldType field) => field.GetMetadata<PersonalField?>(MetadataKey);

    /// <summary>
    /// Readers who see only pseudonyms of other people: analysts (SPEC: "read raw personal data" is what they must not do).
    /// Someone who is also an admin is not restricted; an auditor-analyst is (the stricter role wins).
    /// </summary>
    public static bool IsRestricted(ClaimsPrincipal? user) =>
        user is not null && user.IsInRole(Roles.Analyst) && !user.IsInRole(Roles.Admin);

    /// <summary>The assistant's name in rooms is a system actor's, not a person's.</summary>
    public static bool IsSystemActor(Guid userId) => userId == ChatIds.AssistantUserId;

    /// <summary>The nearest enclosing value of type <typeparamref name="T"/> (for fields of nested types such as a revision).</summary>
    public static T? Ancestor<T>(IResolveFieldContext context)
        where T : class
    {
        for (var current = context.Parent; current is not null; current = current.Parent)
        {
            if (current.Source is T found)
            {
                return found;
            }
        }

        return null;
    }
}

/// <summary>The <c>@personal</c> directive: declared so the printed SDL and the docs show which fields are personal.</summary>
public sealed class PersonalDirective : Directive
{
    public PersonalDirective()
        : base(PersonalData.DirectiveName, GraphQLParser.AST.DirectiveLocation.FieldDefinition)
    {
        Description = "Personal data: readers restricted to pseudonymous data (analysts) get a pseudonym (IDENTITY), an empty "
            + "list or null (an error where null is not allowed) unless it is their own.";
        Arguments = new QueryArguments(new QueryArgument<NonNullGraphType<StringGraphType>> { Name = "kind" });
    }
}
