using System.Diagnostics;
using System.Net;
using System.Text.Json.Nodes;
using EventStore.IntegrationTests.Api.Malformed;
using EventStore.IntegrationTests.Infrastructure;
using EventStore.IntegrationTests.Users;
using Xunit.Abstractions;

namespace EventStore.IntegrationTests.Api.Ide;

/// <summary>
/// The GraphiQL page (docs/api.md#graphql-ide) on the app on Kestrel, in a real headless Chromium: Debian's `chromium`
/// driven by npm `playwright-core` (tests/browser/graphiql.mjs; eng/ci/install-browser.sh installs both). The page loads
/// with nothing from another origin and no failed request, its docs explorer lists `Query`, and a query sent with the
/// token typed into the Headers editor shows its result. The script waits on what the page shows and sends, never on
/// time; what it printed (steps, every request with its status, the page's text on failure) is in the test output.
/// </summary>
public sealed class GraphiQLBrowserTests(MalformedRequestFixture app, ITestOutputHelper log) : IClassFixture<MalformedRequestFixture>
{
    [Fact]
    public async Task the_page_loads_lists_the_schema_and_runs_a_query_with_the_token_from_its_headers_editor()
    {
        using var http = app.CreateClient();
        var client = new GraphQLClient(() => new HttpClient { BaseAddress = app.HttpUri });
        var username = $"ide{Guid.NewGuid():N}"[..16];
        var (_, token) = await client.RegisterAndLogInAsync(username);

        var (exitCode, output) = await RunBrowserAsync(app.HttpUri.ToString(), token, username);
        log.WriteLine(output);

        Assert.True(exitCode == 0, output);
        var result = JsonNode.Parse(output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Last(l => l.StartsWith('{')))!;
        Assert.True(result["ok"]!.GetValue<bool>(), output);
        Assert.Contains(username, result["result"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task a_browser_asking_for_html_at_graphql_gets_the_page_with_a_content_security_policy()
    {
        using var http = app.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "graphql");
        request.Headers.Accept.ParseAdd("text/html,application/xhtml+xml,*/*;q=0.8");

        using var response = await http.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType!.MediaType);
        Assert.Contains("default-src 'none'", response.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
        Assert.Contains("/graphiql/index.js", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task a_graphql_client_at_graphql_still_gets_graphql()
    {
        using var http = app.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "graphql?query=%7B__typename%7D");
        request.Headers.Accept.ParseAdd("text/html,application/json");

        using var response = await http.SendAsync(request);

        Assert.Equal("application/json", response.Content.Headers.ContentType!.MediaType);
    }

    private static async Task<(int ExitCode, string Output)> RunBrowserAsync(params string[] arguments)
    {
        var folder = Path.Combine(SchemaSnapshotTests.RepositoryRoot(), "tests", "browser");
        Assert.True(Directory.Exists(Path.Combine(folder, "node_modules", "playwright-core")),
            "playwright-core is not installed: run eng/ci/install-browser.sh (it also installs Debian's chromium).");
        var start = new ProcessStartInfo("node") { WorkingDirectory = folder, RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add("graphiql.mjs");
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3)); // the script gives up at 150 s, with its diagnostics
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
            Assert.Fail($"the browser script ran for more than 3 minutes and was killed; it printed: {await stdout}{await stderr}");
        }

        return (process.ExitCode, await stdout + await stderr);
    }
}
