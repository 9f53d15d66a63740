using System.Reflection;
using EventStore.Contracts;

namespace EventStore.IntegrationTests.Integration;

/// <summary>Every contract has a schema under schemas/events/ that requires exactly the fields the contract carries.</summary>
public sealed class ContractSchemaTests
{
    public static TheoryData<string> Contracts() => [.. IntegrationContracts.All.Select(t => t.FullName!)];

    [Theory]
    [MemberData(nameof(Contracts))]
    public async Task every_contract_has_a_schema_naming_exactly_its_fields(string contract)
    {
        var type = IntegrationContracts.All.Single(t => t.FullName == contract);
        var schema = await EventSchemas.ForAsync(EventSchemas.TypeName(type));

        var fields = type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.GetMethod is { IsStatic: false } && p.Name != "EqualityContract")
            .Select(p => IntegrationContracts.Json.PropertyNamingPolicy!.ConvertName(p.Name))
            .Order(StringComparer.Ordinal);
        Assert.Equal(fields, schema.RequiredProperties.Order(StringComparer.Ordinal));
        Assert.Equal(fields, schema.Properties.Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void there_are_schemas_for_all_eight_required_contracts_and_no_stray_schema()
    {
        var names = IntegrationContracts.All.Select(EventSchemas.TypeName).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(names, Directory.GetFiles(EventSchemas.Directory, "*.json").Select(Path.GetFileNameWithoutExtension)
            .Order(StringComparer.Ordinal));
        foreach (var required in new[] { "UserRegistered", "OrderPlaced", "OrderFilled", "OrderCancelled", "MessagePosted",
                     "UserMentioned", "AssistantInteractionCompleted", "PersonalDataErased" })
        {
            Assert.Contains(IntegrationContracts.All, t => t.Name == required);
        }
    }
}
