using EventStore.Domain.Validation;
using GraphQLParser.AST;
using GraphQL.Types;

namespace EventStore.Api.GraphQL.Hygiene;

// The built-in String and ID scalars, replaced (same names, registered in EventStoreSchema) so that every string a
// resolver receives, from a literal or a variable, is in NFC: "e" + U+0301 arrives as "é". InputHygieneRule has already
// refused what the input rule forbids before these parse anything.

public sealed class NormalizedStringGraphType : StringGraphType
{
    public NormalizedStringGraphType()
    {
        Name = "String"; // a subclass would otherwise be named after its class
    }

    public override object? ParseLiteral(GraphQLValue value) => Normalized(base.ParseLiteral(value));

    public override object? ParseValue(object? value) => Normalized(base.ParseValue(value));

    internal static object? Normalized(object? value) => value is string text ? TextHygiene.Normalize(text) : value;
}

public sealed class NormalizedIdGraphType : IdGraphType
{
    public NormalizedIdGraphType()
    {
        Name = "ID";
    }

    public override object? ParseLiteral(GraphQLValue value) => NormalizedStringGraphType.Normalized(base.ParseLiteral(value));

    public override object? ParseValue(object? value) => NormalizedStringGraphType.Normalized(base.ParseValue(value));
}
