using System.Net.Http.Headers;
using System.Text;
using EventStore.Api.Resilience;
using EventStore.Domain.Notifications;
using EventStore.Domain.Notifications.Delivering;
using Microsoft.Extensions.Options;
using Polly;

namespace EventStore.Api.Notifications;

/// <summary>SMS through a Twilio-style API: POST {BaseUrl}/2010-04-01/Accounts/{sid}/Messages.json, form-encoded, basic auth; 201 means queued.</summary>
public sealed class SmsChannel(IHttpClientFactory clients, IOptions<SmsChannelOptions> options,
    [FromKeyedServices(ResiliencePipelines.NotificationsSms)] ResiliencePipeline<HttpResponseMessage> pipeline) : INotificationChannel
{
    public const string Name = "sms";

    public NotificationChannel Channel => NotificationChannel.Sms;

    public Task<DeliveryResult> SendAsync(OutboundNotification notification, CancellationToken ct)
    {
        var o = options.Value;
        return DeliveryPipeline.SendAsync(pipeline, clients.CreateClient(Name), () =>
        {
            var request = new HttpRequestMessage(HttpMethod.Post,
                new Uri(o.BaseUrl!, $"2010-04-01/Accounts/{Uri.EscapeDataString(o.AccountSid!)}/Messages.json"))
            {
                Content = new FormUrlEncodedContent(new Dictionary<string, string>
                {
                    ["To"] = notification.Address,
                    ["From"] = o.From!,
                    ["Body"] = $"{notification.Title}: {notification.Body}",
                }),
            };
            request.Headers.Authorization = new AuthenticationHeaderValue("Basic",
                Convert.ToBase64String(Encoding.UTF8.GetBytes($"{o.AccountSid}:{o.AuthToken}")));
            return request;
        }, ct);
    }
}
