using EventStore.Api.Assistant.Tools;
using EventStore.Api.Resilience;
using EventStore.Domain.Assistant.Asking;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace EventStore.Api.Assistant;

/// <summary>
/// The assistant: options (validated at start), the provider (OpenAI-compatible when <c>Assistant:OpenAI:ApiKey</c> is
/// set, else the offline one), tools, rate limit and the runner the Domain's <see cref="AnswerMentionHandler"/> uses.
/// </summary>
public static class AssistantSetup
{
    public static IServiceCollection AddAssistant(this IServiceCollection services, IConfiguration configuration)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddOptions<AssistantOptions>().Bind(configuration.GetSection(AssistantOptions.SectionName)).ValidateOnStart();
        services.AddOptions<OpenAIOptions>().Bind(configuration.GetSection(OpenAIOptions.SectionName)).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<AssistantOptions>, AssistantOptionsValidation>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<OpenAIOptions>, AssistantOptionsValidation>());

        // One pipeline per process (the circuit's state is shared). The provider asks the client factory for a client per
        // call, so handlers rotate; the factory's request logging is removed because the Authorization header carries the key.
        services.AddHttpDependencyPipeline<OpenAIOptions>(ResiliencePipelines.Assistant, "Assistant provider");
        services.AddHttpClient(OpenAICompatibleProvider.HttpClientName, client => client.Timeout = Timeout.InfiniteTimeSpan).RemoveAllLoggers();
        services.AddSingleton<OpenAICompatibleProvider>();
        services.AddSingleton<OfflineAssistantProvider>();
        services.AddSingleton<IAssistantProvider>(sp => sp.GetRequiredService<IOptions<OpenAIOptions>>().Value.Configured
            ? sp.GetRequiredService<OpenAICompatibleProvider>()
            : sp.GetRequiredService<OfflineAssistantProvider>());

        // Singletons all the way down: Wolverine's generated AnswerMention handler can then take the runner without
        // service location (it refuses lambda registrations that are scoped or transient).
        // The tools, in the order their results appear in the context. Each declares whose data it reads; the gatherer
        // (AssistantTools) alone decides, for every one of them, whether the answer's audience may hear it.
        services.AddSingleton<IAssistantTool, PortfolioTool>();
        services.AddSingleton<IAssistantTool, QuoteTool>();
        services.AddSingleton<IAssistantTool, RecentFillsTool>();
        services.AddSingleton<IAssistantTool, OpenOrdersTool>();
        services.AddSingleton<IAssistantTool, RoomSummaryTool>();
        services.AddSingleton<AssistantTools>();
        services.AddSingleton<AssistantRateLimiter>();
        services.AddSingleton<AssistantRunner>();
        services.AddSingleton<IAssistantRunner>(sp => sp.GetRequiredService<AssistantRunner>());
        return services;
    }
}
