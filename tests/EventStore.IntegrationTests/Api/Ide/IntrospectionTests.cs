using EventStore.IntegrationTests.Infrastructure;
using EventStore.IntegrationTests.Users;

namespace EventStore.IntegrationTests.Api.Ide;

/// <summary>
/// The introspection query the standard tools send (graphql-js 16 `getIntrospectionQuery` with every option on, saved in
/// full-introspection-query.graphql) passes, without lifting the caps of other queries (docs/api.md#introspection).
/// </summary>
[Collection(AppCollection.Name)]
public sealed class IntrospectionTests(AppFixture app)
{
    public static string FullIntrospectionQuery() => File.ReadAllText(Path.Combine(SchemaSnapshotTests.RepositoryRoot(),
        "tests", "EventStore.IntegrationTests", "Api", "Ide", "full-introspection-query.graphql"));

    [Fact]
    public async Task the_full_introspection_query_succeeds_for_a_signed_in_user()
    {
        var client = new GraphQLClient(app.Host);
        var (_, token) = await client.RegisterAndLogInAsync($"intro{Guid.NewGuid():N}"[..20]);

        var response = await client.SendAsync(FullIntrospectionQuery(), token: token);

        var schema = response.Ok("__schema");
        Assert.Equal("Query", schema["queryType"]!.Str("name"));
        var types = schema["types"]!.AsArray();
        Assert.Contains(types, t => t!.Str("name") == "Mutation");
        var deprecated = schema["directives"]!.AsArray().Single(d => d!.Str("name") == "deprecated")!;
        Assert.False(deprecated["isRepeatable"]!.GetValue<bool>());
        Assert.Contains("ARGUMENT_DEFINITION", deprecated["locations"]!.AsArray().Select(l => l!.GetValue<string>()));
        Assert.Null(types.Single(t => t!.Str("name") == "String")!["specifiedByURL"]);
    }

    [Fact]
    public async Task anonymous_callers_may_introspect_too()
    {
        var response = await new GraphQLClient(app.Host).SendAsync(FullIntrospectionQuery());

        Assert.Equal("Query", response.Ok("__schema")["queryType"]!.Str("name"));
    }

    [Fact]
    public async Task an_introspection_query_that_walks_the_type_graph_in_a_cycle_is_refused()
    {
        // 14 levels: within the introspection depth, but every `fields { type { fields` multiplies the work.
        var cycle = "{ __schema { types { fields { type { fields { type { fields { type { fields { type { fields { type { name } } } } } } } } } } } } }";

        var response = await new GraphQLClient(app.Host).SendAsync(cycle);

        Assert.Equal(400, response.Status);
        Assert.Equal(["VALIDATION"], response.Codes);
        Assert.Contains("introspection query is too complex", response.Errors[0].Str("message"), StringComparison.OrdinalIgnoreCase);
        Assert.Null(response.Data);
    }

    [Fact]
    public async Task an_introspection_query_deeper_than_its_cap_is_refused()
    {
        // 16 levels: __type, fields, type, 12 × ofType, name.
        var deep = "{ __type(name: \"Query\") { fields { type { " + string.Concat(Enumerable.Repeat("ofType { ", 12)) + "name"
            + new string('}', 16);

        var response = await new GraphQLClient(app.Host).SendAsync(deep);

        Assert.Equal(400, response.Status);
        Assert.Contains("too nested", response.Errors[0].Str("message"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task a_data_field_beside_introspection_keeps_the_ordinary_caps()
    {
        var client = new GraphQLClient(app.Host);
        var (_, token) = await client.RegisterAndLogInAsync($"intro{Guid.NewGuid():N}"[..20]);
        var response = await client.SendAsync(MixWithMe(FullIntrospectionQuery()), token: token);

        Assert.Equal(400, response.Status);
        Assert.Equal(["VALIDATION"], response.Codes);
        Assert.DoesNotContain("introspection", response.Errors[0].Str("message"), StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>The same document with `me { id }` added beside `__schema` at the root.</summary>
    private static string MixWithMe(string query) =>
        query.Replace("query IntrospectionQuery {", "query IntrospectionQuery { me { id }", StringComparison.Ordinal);
}
