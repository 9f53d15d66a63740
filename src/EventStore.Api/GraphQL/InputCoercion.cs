using System.Numerics;
using GraphQL;
using GraphQL.Types;
using GraphQL.Validation;
using GraphQLParser.AST;

namespace EventStore.Api.GraphQL;

/// <summary>
/// GraphQL.NET builds an input object's record with its ValueConverter, which turns an `ID` field into the record's
/// Guid with Guid.Parse. For a variable (`{"input":{"roomId":"x"}}`) it does so outside any GraphQL error handling
/// (InputObjectGraphType.ParseDictionary), so a malformed UUID, or a number, came back as INTERNAL. These conversions
/// throw a ValidationError instead, which GraphQL.NET reports like any invalid variable or argument: VALIDATION.
/// The ValueConverter is process-wide; the conversions only ever fail where Guid.Parse would have.
/// </summary>
public static class InputCoercion
{
    private const string NotAUuid = "An ID in this input must be a UUID (xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx).";

    public static void RegisterUuidConversions()
    {
        ValueConverter.Register<string, Guid>(value => Guid.TryParse(value, out var id) ? id : throw new ValidationError(NotAUuid));
        ValueConverter.Register<int, Guid>(_ => throw new ValidationError(NotAUuid));
        ValueConverter.Register<long, Guid>(_ => throw new ValidationError(NotAUuid));
        ValueConverter.Register<BigInteger, Guid>(_ => throw new ValidationError(NotAUuid));
    }
}

/// <summary>
/// The built-in `DateTimeOffset` scalar (same name and description, so the SDL is unchanged), giving every input in UTC:
/// Npgsql writes only offset 0 to `timestamptz`, and a filter such as `from: "2026-12-04T10:00:00+05:30"` came back as
/// INTERNAL. The instant is the same; only its offset changes.
/// </summary>
public sealed class UtcDateTimeOffsetGraphType : DateTimeOffsetGraphType
{
    public UtcDateTimeOffsetGraphType()
    {
        Name = "DateTimeOffset";
    }

    public override object? ParseLiteral(GraphQLValue value) => ToUtc(base.ParseLiteral(value));

    public override object? ParseValue(object? value) => ToUtc(base.ParseValue(value));

    private static object? ToUtc(object? value) => value is DateTimeOffset at ? at.ToUniversalTime() : value;
}
