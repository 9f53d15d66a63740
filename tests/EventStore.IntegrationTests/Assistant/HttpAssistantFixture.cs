using EventStore.Api.Assistant;
using EventStore.Api.Resilience;
using EventStore.IntegrationTests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Polly.CircuitBreaker;

namespace EventStore.IntegrationTests.Assistant;

/// <summary>
/// The app configured with the OpenAI-compatible provider, pointed at WireMock.Net emulating the chat-completions API
/// (its own collection, host and database). Short settings keep failures quick: one retry, a five-second attempt
/// timeout (long enough for a loaded machine), and a circuit that opens after two failed attempts; each test closes
/// the circuit again.
/// </summary>
public sealed class HttpAssistantFixture : AppFixture
{
    public const string ApiKey = "sk-integration-S3cr3t";
    public const string Model = "gpt-test";

    public ChatCompletionsStub Stub { get; } = new();

    protected override void Configure(IWebHostBuilder builder)
    {
        builder.UseSetting("Assistant:OpenAI:BaseUrl", Stub.BaseUrl);
        builder.UseSetting("Assistant:OpenAI:ApiKey", ApiKey);
        builder.UseSetting("Assistant:OpenAI:Model", Model);
        builder.UseSetting("Assistant:OpenAI:MaxRetries", "1");
        builder.UseSetting("Assistant:OpenAI:BaseDelay", "00:00:00.010");
        builder.UseSetting("Assistant:OpenAI:AttemptTimeout", "00:00:05");
        builder.UseSetting("Assistant:OpenAI:MinimumThroughput", "2");
        builder.UseSetting("Assistant:OpenAI:BreakDuration", "01:00:00");
        builder.UseSetting("Assistant:OpenAI:SamplingDuration", "00:10:00");
        builder.UseSetting("Assistant:Prices:gpt-test-2026:InputPer1KTokens", "0.50");
        builder.UseSetting("Assistant:Prices:gpt-test-2026:OutputPer1KTokens", "1.50");
    }

    /// <summary>Fresh data, a quiet stub and a closed circuit.</summary>
    public async Task ResetAllAsync()
    {
        await ResetAsync();
        Stub.Reset();
        await Host.Services.GetRequiredKeyedService<CircuitBreakerManualControl>(ResiliencePipelines.Assistant).CloseAsync();
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        Stub.Dispose();
    }
}

[CollectionDefinition(Name)]
public sealed class HttpAssistantCollection : ICollectionFixture<HttpAssistantFixture>
{
    public const string Name = "assistant-http";
}
