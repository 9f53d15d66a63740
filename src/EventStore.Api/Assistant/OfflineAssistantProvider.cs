using System.Text;

namespace EventStore.Api.Assistant;

/// <summary>
/// The default provider: no network, no model. It phrases what the read-only tools found in the platform's read models
/// (portfolio and P&amp;L, quotes, recent fills, open orders, a room's recent messages), or says what it can do. Its answers say they
/// are offline in their metadata (provider <c>offline</c>, model <see cref="ModelName"/>), and cost nothing.
/// </summary>
public sealed class OfflineAssistantProvider : IAssistantProvider
{
    public const string ProviderName = "offline";
    public const string ModelName = "builtin-offline-1";

    public const string Help =
        "I am the built-in offline assistant (no AI model is configured), so I answer from the platform's own data. " +
        "Ask me about your portfolio and P&L (\"how is my portfolio?\"), the latest quote of a symbol (\"quote AAPL\"), " +
        "your recent fills (\"my recent trades\"), your open orders (\"my orders\"), or, in a room, for a summary of the " +
        "recent messages (\"@assistant summarize\"). In a room, I answer questions about your own account privately.";

    public string Name => ProviderName;

    public string Model => ModelName;

    public bool IsOffline => true;

    public Task<AssistantCompletion> CompleteAsync(AssistantRequest request, CancellationToken ct)
    {
        var text = new StringBuilder();
        if (request.Tools.Count == 0)
        {
            text.Append(Help);
        }
        else
        {
            text.Append(request.Audience.Kind == AudienceKind.Asker ? "Here is what I found in your data:" : "Here is what I found:");
            foreach (var tool in request.Tools)
            {
                text.Append('\n').Append("- ").Append(tool.Summary);
            }
        }

        var answer = text.ToString();
        return Task.FromResult(new AssistantCompletion(answer, ModelName, EstimateTokens(request.Context) + EstimateTokens(request.Prompt),
            EstimateTokens(answer), "stop", 0));
    }

    /// <summary>About four characters per token, the usual rule of thumb: offline answers are counted like model answers.</summary>
    public static int EstimateTokens(string text) => (text.Length + 3) / 4;
}
