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

        // One pipeline per process (the circuit's state is shared); the request logging of the client factory is removed
        // because the Authorization header carries the key.
        services.AddSingleton<AssistantPipeline>();
        services.AddHttpClient<OpenAICompatibleProvider>(client => client.Timeout = Timeout.InfiniteTimeSpan).RemoveAllLoggers();
        services.AddSingleton<OfflineAssistantProvider>();
        services.AddTransient<IAssistantProvider>(sp => sp.GetRequiredService<IOptions<OpenAIOptions>>().Value.Configured
            ? sp.GetRequiredService<OpenAICompatibleProvider>()
            : sp.GetRequiredService<OfflineAssistantProvider>());

        services.AddSingleton<AssistantTools>();
        services.AddSingleton<AssistantRateLimiter>();
        services.AddTransient<AssistantRunner>();
        services.AddTransient<IAssistantRunner>(sp => sp.GetRequiredService<AssistantRunner>());
        return services;
    }
}
