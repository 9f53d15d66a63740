using System.Diagnostics;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Npgsql;

namespace EventStore.Bench.Soak;

/// <summary>
/// The audit hash chain after the faults: waits for the app's ledger to chain every stored event, downloads
/// GET /audit/export as an auditor and runs `eventstore-audit verify` on it (its own process).
/// </summary>
internal sealed class SoakAudit(HttpClient http, string connectionString, string cliDll)
{
    public const string AdminUsername = "soak-admin";
    public const string Password = "soak-password-1234";
    private const string AuditorUsername = "soak-auditor";

    private string? _token;

    /// <summary>Registers the auditor and has the bootstrapped admin grant it the role (the admin may still be being created).</summary>
    public async Task SignUpAuditorAsync()
    {
        var id = (await GraphQLAsync("mutation($i: RegisterInput!) { register(input: $i) { id } }",
            new { i = new { username = AuditorUsername, email = "soak-auditor@example.com", password = Password } }, null))
            ?["register"]?["id"]?.GetValue<string>() ?? throw new InvalidOperationException("The soak auditor could not register.");
        for (var attempt = 0; ; attempt++)
        {
            var admin = await LogInAsync(AdminUsername);
            if (admin is not null && await GraphQLAsync("mutation($i: RoleInput!) { assignRole(input: $i) { id } }",
                    new { i = new { userId = id, role = "AUDITOR" } }, admin) is { } assigned && assigned["assignRole"] is not null)
            {
                break;
            }

            if (attempt == 150)
            {
                throw new InvalidOperationException("The soak admin cannot assign the AUDITOR role (see the app log).");
            }

            await Task.Delay(200);
        }
    }

    /// <summary>Null when the chain verifies; otherwise what went wrong.</summary>
    public async Task<(string? Violation, string Fact)> VerifyAsync(string file)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        var clock = Stopwatch.StartNew();
        var last = await ScalarAsync(connection, "select coalesce(max(seq_id), 0) from eventstore.mt_events");
        long head;
        while ((head = await ScalarAsync(connection, "select coalesce(max(seq_id), 0) from eventstore.audit_ledger")) < last)
        {
            if (clock.Elapsed > TimeSpan.FromMinutes(2))
            {
                return ($"the audit ledger reached sequence {head} of {last} within 2 min", "");
            }

            await Task.Delay(500);
        }

        _token = await LogInAsync(AuditorUsername) ?? throw new InvalidOperationException("The soak auditor cannot log in.");
        using (var request = new HttpRequestMessage(HttpMethod.Get, new Uri($"audit/export?fromSequence=1&toSequence={head}", UriKind.Relative)))
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _token);
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
            if (!response.IsSuccessStatusCode)
            {
                return ($"GET /audit/export answered {(int)response.StatusCode}", "");
            }

            await using var output = File.Create(file);
            await response.Content.CopyToAsync(output);
        }

        var start = new ProcessStartInfo("dotnet", [cliDll, "verify", file]) { RedirectStandardOutput = true, RedirectStandardError = true };
        using var process = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start");
        var errors = process.StandardError.ReadToEndAsync();
        var text = (await process.StandardOutput.ReadToEndAsync()).Trim().Replace('\n', ' ');
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        await process.WaitForExitAsync(timeout.Token);
        var records = File.ReadLines(file).LongCount();
        return process.ExitCode == 0
            ? (null, $"audit: the ledger chained all {head} sequence numbers {clock.Elapsed.TotalSeconds:F1} s after the load; " +
                     $"`eventstore-audit verify` on the export ({records} records): {text}")
            : ($"eventstore-audit verify exited with {process.ExitCode}: {text} {await errors}", "");
    }

    private async Task<string?> LogInAsync(string username) =>
        (await GraphQLAsync("mutation($i: LoginInput!) { login(input: $i) { token } }", new { i = new { username, password = Password } }, null))
        ?["login"]?["token"]?.GetValue<string>();

    private async Task<JsonNode?> GraphQLAsync(string query, object variables, string? token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri("graphql", UriKind.Relative)) { Content = JsonContent.Create(new { query, variables }) };
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        using var response = await http.SendAsync(request);
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())?["data"];
    }

    private static async Task<long> ScalarAsync(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        return Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }
}
