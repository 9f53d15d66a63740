using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace EventStore.Bench.Live;

/// <summary>GraphQL over HTTP to one node, and the few scenario steps the benchmark needs.</summary>
public sealed class GraphQLHttp(Uri baseUri) : IDisposable
{
    public const string Password = "bench-password-1234";

    private readonly HttpClient _http = new() { BaseAddress = baseUri, Timeout = TimeSpan.FromSeconds(30) };

    public async Task<JsonNode> SendAsync(string query, object? variables = null, string? token = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri("graphql", UriKind.Relative))
        {
            Content = JsonContent.Create(new { query, variables }),
        };
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        using var response = await _http.SendAsync(request);
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        if (body["errors"] is JsonArray { Count: > 0 } errors)
        {
            throw new InvalidOperationException($"GraphQL errors: {errors.ToJsonString()}");
        }

        return body["data"]!;
    }

    public async Task<(string Id, string Token)> RegisterAndLogInAsync(string username)
    {
        var registered = await SendAsync("mutation($i: RegisterInput!) { register(input: $i) { id } }",
            new { i = new { username, email = username + "@example.com", password = Password } });
        return (registered["register"]!["id"]!.GetValue<string>(), await LogInAsync(username, Password));
    }

    public async Task<string> LogInAsync(string username, string password) =>
        (await SendAsync("mutation($i: LoginInput!) { login(input: $i) { token } }", new { i = new { username, password } }))
        ["login"]!["token"]!.GetValue<string>();

    public Task AssignRoleAsync(string adminToken, string userId, string role) =>
        SendAsync("mutation($i: RoleInput!) { assignRole(input: $i) { id } }", new { i = new { userId, role } }, adminToken);

    public Task DepositAsync(string token, decimal amount) =>
        SendAsync("mutation($a: Decimal!) { deposit(input: {amount: $a}) { balance } }", new { a = amount }, token);

    public void Dispose() => _http.Dispose();
}
