using EventStore.Api.Notifications;
using EventStore.Api.Resilience;
using EventStore.Domain.Notifications.Delivering;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace EventStore.IntegrationTests.Notifications;

/// <summary>The e-mail and SMS providers' resilience, against WireMock.Net stand-ins for their HTTP APIs (no app host).</summary>
public sealed class NotificationChannelTests : IDisposable
{
    private static readonly DeliveryResilienceOptions Fast = new() { MaxRetries = 3, BaseDelay = TimeSpan.FromMilliseconds(5) };
    private static readonly OutboundNotification Note = new("trader@example.com", "AAPL order filled", "Bought 1 AAPL at 100.");
    private readonly WireMockServer _provider = WireMockServer.Start();

    [Fact]
    public async Task email_retries_a_503_and_delivers_wiremock()
    {
        Scenario("/v3/mail/send", 503, 202);

        var result = await Email().SendAsync(Note, CancellationToken.None);

        Assert.True(result.Delivered);
        Assert.Equal(2, Requests("/v3/mail/send"));
    }

    [Fact]
    public async Task email_does_not_retry_a_rejected_request_wiremock()
    {
        _provider.Given(Request.Create().WithPath("/v3/mail/send").UsingPost()).RespondWith(Response.Create().WithStatusCode(400));

        var result = await Email().SendAsync(Note, CancellationToken.None);

        Assert.Equal(new DeliveryResult(false, "HTTP 400"), result);
        Assert.Equal(1, Requests("/v3/mail/send"));
    }

    [Fact]
    public async Task sms_honours_a_429_then_delivers_with_basic_auth_and_a_form_wiremock()
    {
        const string Path = "/2010-04-01/Accounts/AC123/Messages.json";
        _provider.Given(Request.Create().WithPath(Path).UsingPost()).InScenario("sms").WillSetStateTo("limited")
            .RespondWith(Response.Create().WithStatusCode(429).WithHeader("Retry-After", "0"));
        _provider.Given(Request.Create().WithPath(Path).UsingPost()).InScenario("sms").WhenStateIs("limited")
            .RespondWith(Response.Create().WithStatusCode(201));

        var result = await Sms().SendAsync(Note with { Address = "+14155550100" }, CancellationToken.None);

        Assert.True(result.Delivered);
        var last = _provider.LogEntries[^1].RequestMessage;
        Assert.StartsWith("Basic ", last.Headers!["Authorization"].Single(), StringComparison.Ordinal);
        Assert.Contains("To=%2B14155550100", last.Body, StringComparison.Ordinal);
        Assert.Equal(2, Requests(Path));
    }

    [Fact]
    public async Task a_provider_down_through_every_retry_is_a_failed_delivery_not_an_exception_wiremock()
    {
        _provider.Given(Request.Create().WithPath("/v3/mail/send").UsingPost()).RespondWith(Response.Create().WithStatusCode(500));

        var result = await Email().SendAsync(Note, CancellationToken.None);

        Assert.Equal(new DeliveryResult(false, "HTTP 500"), result);
        Assert.Equal(1 + Fast.MaxRetries, Requests("/v3/mail/send"));
    }

    public void Dispose() => _provider.Stop();

    private EmailChannel Email() => new(new Clients(), Options.Create(new EmailChannelOptions
    {
        BaseUrl = new Uri(_provider.Url + "/"), ApiKey = "key",
    }), ResiliencePipelines.BuildHttpDependency("email", Fast, TimeProvider.System, NullLogger.Instance));

    private SmsChannel Sms() => new(new Clients(), Options.Create(new SmsChannelOptions
    {
        BaseUrl = new Uri(_provider.Url + "/"), AccountSid = "AC123", AuthToken = "token", From = "+14155550199",
    }), ResiliencePipelines.BuildHttpDependency("sms", Fast, TimeProvider.System, NullLogger.Instance));

    private void Scenario(string path, int first, int then)
    {
        _provider.Given(Request.Create().WithPath(path).UsingPost()).InScenario(path).WillSetStateTo("second")
            .RespondWith(Response.Create().WithStatusCode(first));
        _provider.Given(Request.Create().WithPath(path).UsingPost()).InScenario(path).WhenStateIs("second")
            .RespondWith(Response.Create().WithStatusCode(then));
    }

    private int Requests(string path) => _provider.LogEntries.Count(e => e.RequestMessage.Path == path);

    private sealed class Clients : IHttpClientFactory
    {
        public HttpClient CreateClient(string name) => new();
    }
}
