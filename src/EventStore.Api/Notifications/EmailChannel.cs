using System.Net.Http.Headers;
using System.Net.Http.Json;
using EventStore.Api.Resilience;
using EventStore.Domain.Notifications;
using EventStore.Domain.Notifications.Delivering;
using Microsoft.Extensions.Options;
using Polly;

namespace EventStore.Api.Notifications;

/// <summary>E-mail through a SendGrid-style API: POST {BaseUrl}/v3/mail/send with a bearer key; 202 means accepted.</summary>
public sealed class EmailChannel(IHttpClientFactory clients, IOptions<EmailChannelOptions> options,
    [FromKeyedServices(ResiliencePipelines.NotificationsEmail)] ResiliencePipeline<HttpResponseMessage> pipeline) : INotificationChannel
{
    public const string Name = "email";

    public NotificationChannel Channel => NotificationChannel.Email;

    public Task<DeliveryResult> SendAsync(OutboundNotification notification, CancellationToken ct)
    {
        var o = options.Value;
        return DeliveryPipeline.SendAsync(pipeline, clients.CreateClient(Name), () =>
        {
            var request = new HttpRequestMessage(HttpMethod.Post, new Uri(o.BaseUrl!, "v3/mail/send"))
            {
                Content = JsonContent.Create(new
                {
                    personalizations = new[] { new { to = new[] { new { email = notification.Address } } } },
                    from = new { email = o.From },
                    subject = notification.Title,
                    content = new[] { new { type = "text/plain", value = notification.Body } },
                }),
            };
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", o.ApiKey);
            return request;
        }, ct);
    }
}
