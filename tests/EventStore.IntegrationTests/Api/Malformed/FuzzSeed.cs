using EventStore.IntegrationTests.Infrastructure;
using EventStore.IntegrationTests.Users;

namespace EventStore.IntegrationTests.Api.Malformed;

/// <summary>The fuzz's seed and the identities it sends requests as.</summary>
internal static class FuzzSeed
{
    /// <summary>`EVENTSTORE_FUZZ_SEED` to vary a run; fixed otherwise, so that a failure shows up again.</summary>
    public static int Value => int.TryParse(Environment.GetEnvironmentVariable("EVENTSTORE_FUZZ_SEED"), out var seed) ? seed : 20261204;

    /// <summary>`EVENTSTORE_FUZZ_REQUESTS` for a longer run (still bounded by the time budget).</summary>
    public static int Requests(int normally) =>
        int.TryParse(Environment.GetEnvironmentVariable("EVENTSTORE_FUZZ_REQUESTS"), out var count) ? count : normally;

    /// <summary>`EVENTSTORE_FUZZ_SECONDS` to lift the time budget for a longer run.</summary>
    public static TimeSpan Budget(TimeSpan normally) =>
        int.TryParse(Environment.GetEnvironmentVariable("EVENTSTORE_FUZZ_SECONDS"), out var seconds) ? TimeSpan.FromSeconds(seconds) : normally;

    /// <summary>No token, a fresh trader's, the bootstrap admin's.</summary>
    public static async Task<string?[]> TokensAsync(MalformedRequestFixture app)
    {
        var client = new GraphQLClient(app.CreateClient);
        var (_, trader) = await client.RegisterAndLogInAsync($"fuzz{Guid.NewGuid():N}"[..20]);
        return [null, trader, await client.LogInAsAdminAsync()];
    }
}
