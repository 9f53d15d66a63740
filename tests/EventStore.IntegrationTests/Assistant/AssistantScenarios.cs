using EventStore.IntegrationTests.Infrastructure;
using Wolverine.Tracking;

namespace EventStore.IntegrationTests.Assistant;

public static class AssistantScenarios
{
    public const string InteractionFields =
        "id conversationId roomId status response provider model finishReason tokensIn tokensOut latencyMs cost disclaimer offline errorClass attempts prompt context tools { tool arguments resultSummary }";

    public static Task<GraphQLResponse> AskAsync(this GraphQLClient client, string token, string prompt, string? conversationId = null) =>
        client.SendAsync($"mutation($input: AskAssistantInput!) {{ askAssistant(input: $input) {{ conversation {{ id }} interaction {{ {InteractionFields} }} }} }}",
            new { input = new { conversationId, prompt } }, token);

    /// <summary>
    /// Runs <paramref name="action"/> and waits until every message it caused has been handled, including the
    /// @assistant answer cascaded through the durable inbox (Wolverine's own tracking, no sleeps).
    /// </summary>
    public static async Task<T> AndWaitForCascadesAsync<T>(this AppFixture app, Func<Task<T>> action)
    {
        T result = default!;
        await app.Host.TrackActivity().Timeout(TimeSpan.FromSeconds(60)).ExecuteAndWaitAsync((Func<Wolverine.IMessageContext, Task>)(async _ =>
            result = await action()));
        return result;
    }
}
