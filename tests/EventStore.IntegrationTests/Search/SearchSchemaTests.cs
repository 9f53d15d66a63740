using EventStore.IntegrationTests.Infrastructure;
using EventStore.Projections.Analytics;
using EventStore.Projections.Search;
using Npgsql;
using Weasel.Core;
using Weasel.Core.Migrations;

namespace EventStore.IntegrationTests.Search;

/// <summary>
/// The search and analytics tables and their indexes (the GIN expression index included) as PostgreSQL reports them
/// equal what the projections define, so a restart plans no migration (no index dropped and rebuilt on every start).
/// </summary>
[Collection(AppCollection.Name)]
public sealed class SearchSchemaTests(AppFixture app)
{
    [Fact]
    public async Task a_restart_finds_the_search_and_analytics_tables_as_defined()
    {
        await using var connection = new NpgsqlConnection(app.ConnectionString);
        await connection.OpenAsync();

        var migration = await SchemaMigration.DetermineAsync(connection, CancellationToken.None,
            [SearchTable.Build(), .. AnalyticsTables.BuildTrading()]);

        Assert.Equal(SchemaPatchDifference.None, migration.Difference);
    }
}
