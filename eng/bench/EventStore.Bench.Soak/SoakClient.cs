using System.Collections.Concurrent;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace EventStore.Bench.Soak;

/// <summary>What the client learnt from one command (after its retries, for orders).</summary>
internal enum Outcome
{
    /// <summary>HTTP 200 with the mutation's data and no error: the command took effect exactly once.</summary>
    Acknowledged,

    /// <summary>A retry was answered "client order id already used": an earlier, unanswered attempt took effect.</summary>
    AcknowledgedByDuplicateAnswer,

    /// <summary>Never answered with success (refused connection, 5xx, timeout, error): it may or may not have taken effect.</summary>
    NotAcknowledged,

    /// <summary>The order was answered ORDER_REJECTED (unexpected here: the client only places affordable limit buys).</summary>
    Rejected,

    /// <summary>The very first attempt was answered "already used": a violation (the id was never sent before).</summary>
    DuplicateOnFirstAttempt,
}

/// <param name="Keyed">Sent under an idempotency key (retried until answered); without one it is sent once and group-committed.</param>
internal sealed record DepositRecord(decimal Amount, Outcome Outcome, int Attempts, bool Keyed);

internal sealed record OrderRecord(string ClientOrderId, Outcome Outcome, int Attempts);

/// <summary>
/// One user sending commands one after the other: even steps `deposit` a unique amount (10,000 + step) under an
/// idempotency key (`soak-dep-<client>-<step>`), retried under the same key until it is answered, odd steps `placeOrder` a LIMIT BUY 1 AAPL @ 1.00 GTC with a unique
/// clientOrderId (no quote needed, never fills), retried under the same id until it is answered. Every answer is recorded.
/// </summary>
internal sealed class SoakClient(int index, HttpClient http, ConcurrentDictionary<string, int> failures)
{
    private const string Password = "soak-password-1234";

    public int Index => index;

    public Guid UserId { get; private set; }

    public List<DepositRecord> Deposits { get; } = [];

    public List<OrderRecord> Orders { get; } = [];

    private int _acknowledged;

    /// <summary>Commands acknowledged so far; safe to read while the client runs (the lists are not).</summary>
    public int Acknowledged => Volatile.Read(ref _acknowledged);

    public async Task SignUpAsync()
    {
        var username = $"soak-client-{index}";
        var registered = await SendAsync("mutation($i: RegisterInput!) { register(input: $i) { id } }",
            new { i = new { username, email = username + "@example.com", password = Password } }, "register", null);
        UserId = Guid.Parse(registered.Data!["register"]!["id"]!.GetValue<string>());
        var login = await SendAsync("mutation($i: LoginInput!) { login(input: $i) { token } }",
            new { i = new { username, password = Password } }, "login", null);
        _token = login.Data!["login"]!["token"]!.GetValue<string>();
    }

    private string? _token;

    /// <summary>Sends commands until <paramref name="stop"/>; an order in flight is still retried until <paramref name="retryDeadline"/>.</summary>
    public async Task RunAsync(DateTime retryDeadline, CancellationToken stop)
    {
        for (var step = 0; !stop.IsCancellationRequested; step++)
        {
            if (step % 2 == 0)
            {
                // Every other deposit without a key: the group-committed path, which a key does not take (docs/performance.md#group-commit).
                var deposit = await DepositAsync(10_000m + step, step % 4 == 0 ? $"soak-dep-{index}-{step}" : null, retryDeadline);
                Deposits.Add(deposit);
                _acknowledged += deposit.Outcome == Outcome.Acknowledged ? 1 : 0;
            }
            else
            {
                Orders.Add(await PlaceOrderAsync($"soak-{index}-{step}", retryDeadline));
                _acknowledged += Orders[^1].Outcome is Outcome.Acknowledged or Outcome.AcknowledgedByDuplicateAnswer ? 1 : 0;
            }
        }
    }

    /// <summary>
    /// A deposit under its idempotency key, sent again after any failure: the app applies it once however many
    /// attempts reached it (a retry of an applied one answers the account; two racing attempts answer CONFLICT "applied
    /// meanwhile", and the next attempt answers the account). Without a key it is sent once: a retry could apply it
    /// twice, so an unanswered one may or may not have taken effect, and the verifier only forbids it twice.
    /// </summary>
    private async Task<DepositRecord> DepositAsync(decimal amount, string? idempotencyKey, DateTime retryDeadline)
    {
        var keyed = idempotencyKey is not null;
        for (var attempt = 1; ; attempt++)
        {
            var answer = await SendAsync("mutation($a: Decimal!, $k: String) { deposit(input: {amount: $a, idempotencyKey: $k}) { balance } }",
                new { a = amount, k = idempotencyKey }, "deposit", _token);
            if (answer.Acknowledged)
            {
                return new DepositRecord(amount, Outcome.Acknowledged, attempt, keyed);
            }

            if (!keyed || DateTime.UtcNow > retryDeadline)
            {
                return new DepositRecord(amount, Outcome.NotAcknowledged, attempt, keyed);
            }

            await Task.Delay(Math.Min(250 * attempt, 2_000), CancellationToken.None);
        }
    }

    private async Task<OrderRecord> PlaceOrderAsync(string clientOrderId, DateTime retryDeadline)
    {
        var variables = new
        {
            i = new { clientOrderId, symbol = "AAPL", side = "BUY", type = "LIMIT", quantity = 1m, limitPrice = 1.00m, timeInForce = "GTC" },
        };
        for (var attempt = 1; ; attempt++)
        {
            var answer = await SendAsync("mutation($i: PlaceOrderInput!) { placeOrder(input: $i) { order { id status } } }", variables, "placeOrder", _token);
            if (answer.Acknowledged)
            {
                return new OrderRecord(clientOrderId, Outcome.Acknowledged, attempt);
            }

            if (answer.ErrorText.Contains("ORDER_REJECTED", StringComparison.Ordinal))
            {
                return new OrderRecord(clientOrderId, Outcome.Rejected, attempt);
            }

            if (answer.ErrorText.Contains("client order id was already used", StringComparison.Ordinal))
            {
                return new OrderRecord(clientOrderId, attempt == 1 ? Outcome.DuplicateOnFirstAttempt : Outcome.AcknowledgedByDuplicateAnswer, attempt);
            }

            if (DateTime.UtcNow > retryDeadline)
            {
                return new OrderRecord(clientOrderId, Outcome.NotAcknowledged, attempt);
            }

            await Task.Delay(Math.Min(250 * attempt, 2_000), CancellationToken.None);
        }
    }

    private sealed record Answer(bool Acknowledged, JsonNode? Data, string ErrorText);

    private async Task<Answer> SendAsync(string query, object variables, string field, string? token)
    {
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, new Uri("graphql", UriKind.Relative))
            {
                Content = JsonContent.Create(new { query, variables }),
            };
            if (token is not null)
            {
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            }

            using var response = await http.SendAsync(request, CancellationToken.None);
            var text = await response.Content.ReadAsStringAsync(CancellationToken.None);
            if (!response.IsSuccessStatusCode)
            {
                return Failed($"{field}: HTTP {(int)response.StatusCode}");
            }

            var body = JsonNode.Parse(text);
            var data = body?["data"];
            if (body?["errors"] is JsonArray { Count: > 0 } errors)
            {
                var code = errors[0]?["extensions"]?["code"]?.ToString() ?? "no code";
                failures.AddOrUpdate($"{field}: GraphQL error {code}", 1, (_, n) => n + 1);
                return new Answer(false, data, errors.ToJsonString());
            }

            return data?[field] is null ? Failed($"{field}: HTTP 200 without data") : new Answer(true, data, "");
        }
        catch (HttpRequestException e)
        {
            return Failed($"{field}: {e.HttpRequestError}");
        }
        catch (TaskCanceledException)
        {
            return Failed($"{field}: timeout");
        }
        catch (System.Text.Json.JsonException)
        {
            return Failed($"{field}: unparsable answer");
        }
    }

    private Answer Failed(string reason)
    {
        failures.AddOrUpdate(reason, 1, (_, n) => n + 1);
        return new Answer(false, null, reason);
    }
}
