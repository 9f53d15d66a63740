using GraphQLParser;
using GraphQLParser.AST;

namespace EventStore.IntegrationTests.Api.Malformed;

/// <summary>A GraphQL type reference: a named type, a list of one, or a non-null one.</summary>
internal abstract record TypeRef
{
    public abstract string Named { get; }
}

internal sealed record NamedType(string Name) : TypeRef
{
    public override string Named => Name;

    public override string ToString() => Name;
}

internal sealed record ListType(TypeRef Item) : TypeRef
{
    public override string Named => Item.Named;

    public override string ToString() => $"[{Item}]";
}

internal sealed record NonNullType(TypeRef Inner) : TypeRef
{
    public override string Named => Inner.Named;

    public override string ToString() => $"{Inner}!";
}

internal sealed record InputValue(string Name, TypeRef Type, bool HasDefault);

internal sealed record Field(string Name, IReadOnlyList<InputValue> Arguments, TypeRef Type);

/// <summary>
/// The published API as the fuzz sees it: the object, input, enum and scalar types of the checked-in SDL
/// (schemas/graphql/schema.graphql), read with GraphQL.NET's own parser. The fuzz builds its documents from this, so a
/// new field is fuzzed as soon as the snapshot has it.
/// </summary>
internal sealed class SchemaModel
{
    private SchemaModel(Dictionary<string, IReadOnlyList<Field>> objects, Dictionary<string, IReadOnlyList<InputValue>> inputs,
        Dictionary<string, IReadOnlyList<string>> enums)
    {
        Objects = objects;
        Inputs = inputs;
        Enums = enums;
    }

    public IReadOnlyDictionary<string, IReadOnlyList<Field>> Objects { get; }

    public IReadOnlyDictionary<string, IReadOnlyList<InputValue>> Inputs { get; }

    public IReadOnlyDictionary<string, IReadOnlyList<string>> Enums { get; }

    public bool IsLeaf(string type) => !Objects.ContainsKey(type);

    public static SchemaModel Load()
    {
        var path = Path.Combine(SchemaSnapshotTests.RepositoryRoot(), "schemas", "graphql", "schema.graphql");
        var document = Parser.Parse(File.ReadAllText(path));
        var objects = new Dictionary<string, IReadOnlyList<Field>>();
        var inputs = new Dictionary<string, IReadOnlyList<InputValue>>();
        var enums = new Dictionary<string, IReadOnlyList<string>>();
        foreach (var definition in document.Definitions)
        {
            switch (definition)
            {
                case GraphQLObjectTypeDefinition type:
                    objects[type.Name.StringValue] = (type.Fields?.Items ?? []).Select(f => new Field(f.Name.StringValue,
                        (f.Arguments?.Items ?? []).Select(ToInput).ToList(), ToRef(f.Type))).ToList();
                    break;
                case GraphQLInputObjectTypeDefinition input:
                    inputs[input.Name.StringValue] = (input.Fields?.Items ?? []).Select(ToInput).ToList();
                    break;
                case GraphQLEnumTypeDefinition enumType:
                    enums[enumType.Name.StringValue] = (enumType.Values?.Items ?? []).Select(v => v.EnumValue.Name.StringValue).ToList();
                    break;
            }
        }

        return new SchemaModel(objects, inputs, enums);
    }

    private static InputValue ToInput(GraphQLInputValueDefinition value) =>
        new(value.Name.StringValue, ToRef(value.Type), value.DefaultValue is not null);

    private static TypeRef ToRef(GraphQLType type) => type switch
    {
        GraphQLNonNullType nonNull => new NonNullType(ToRef(nonNull.Type)),
        GraphQLListType list => new ListType(ToRef(list.Type)),
        GraphQLNamedType named => new NamedType(named.Name.StringValue),
        _ => throw new NotSupportedException(type.Kind.ToString()),
    };
}
