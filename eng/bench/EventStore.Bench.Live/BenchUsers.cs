namespace EventStore.Bench.Live;

/// <summary>
/// The trader whose deposits are the measured commands, and enough auditors for the subscribers: the app allows
/// `GraphQL:WebSocketMaxSubscriptionsPerUser` (default 200) live subscriptions per user on a node, so 1,000
/// subscribers are spread over 5 auditors rather than raising the limit.
/// </summary>
public sealed record BenchUsers(string TraderToken, IReadOnlyList<string> AuditorTokens)
{
    public const int SubscriptionsPerUser = 200;

    public string AuditorFor(int subscriber) => AuditorTokens[subscriber / SubscriptionsPerUser];

    public static async Task<BenchUsers> CreateAsync(GraphQLHttp http, int subscribers)
    {
        var admin = await AdminAsync(http);
        var (_, trader) = await http.RegisterAndLogInAsync("bench-trader");
        var auditors = new List<string>();
        for (var i = 0; i * SubscriptionsPerUser < subscribers; i++)
        {
            var name = $"bench-auditor-{i}";
            var (id, _) = await http.RegisterAndLogInAsync(name);
            await http.AssignRoleAsync(admin, id, "AUDITOR");
            auditors.Add(await http.LogInAsync(name, GraphQLHttp.Password)); // a token issued after the role was granted
        }

        return new BenchUsers(trader, auditors);
    }

    /// <summary>
    /// The app reports ready before its start-up tasks have run: wait until the bootstrapped admin exists and holds
    /// the role (the role is granted after the registration).
    /// </summary>
    private static async Task<string> AdminAsync(GraphQLHttp http)
    {
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                var token = await http.LogInAsync("bench-admin", GraphQLHttp.Password);
                var roles = (await http.SendAsync("{ me { roles } }", token: token))["me"]!["roles"]!.AsArray();
                if (roles.Any(r => r!.GetValue<string>() == "ADMIN"))
                {
                    // The token carries the roles of its login: one issued before the grant is not an admin's.
                    return await http.LogInAsync("bench-admin", GraphQLHttp.Password);
                }
            }
            catch (InvalidOperationException) when (attempt < 120)
            {
            }

            if (attempt >= 120)
            {
                throw new TimeoutException("The bootstrapped admin did not appear within a minute");
            }

            await Task.Delay(500);
        }
    }
}
