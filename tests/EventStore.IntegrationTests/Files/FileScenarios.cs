using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using EventStore.IntegrationTests.Infrastructure;

namespace EventStore.IntegrationTests.Files;

/// <summary>Files preconditions and requests through the public HTTP API, as a front-end would send them.</summary>
public static class FileScenarios
{
    public const string FileFields = "id name contentType size sha256 ownerId url attachments { kind targetId }";

    public static readonly byte[] PngSignature = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];

    /// <summary>A "PNG" of <paramref name="size"/> bytes: the signature, then deterministic pseudo-random bytes.</summary>
    public static byte[] Png(int size, int seed = 1)
    {
        var bytes = new byte[size];
        new Random(seed).NextBytes(bytes);
        PngSignature.CopyTo(bytes, 0);
        return bytes;
    }

    public static async Task<HttpResponseMessage> UploadAsync(HttpClient http, string? token, byte[] content, string fileName,
        string claimedType = "application/octet-stream")
    {
        using var form = new MultipartFormDataContent();
        var part = new ByteArrayContent(content);
        part.Headers.ContentType = new MediaTypeHeaderValue(claimedType);
        form.Add(part, "file", fileName);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/files") { Content = form };
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        return await http.SendAsync(request);
    }

    /// <summary>Uploads and returns the 201 body (fails the test otherwise).</summary>
    public static async Task<JsonObject> UploadOkAsync(HttpClient http, string token, byte[] content, string fileName)
    {
        using var response = await UploadAsync(http, token, content, fileName);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == System.Net.HttpStatusCode.Created, $"Upload answered {(int)response.StatusCode}: {body}");
        return JsonNode.Parse(body)!.AsObject();
    }

    public static async Task<HttpResponseMessage> DownloadAsync(HttpClient http, string? token, string id, Action<HttpRequestMessage>? configure = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/files/{id}");
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        configure?.Invoke(request);
        return await http.SendAsync(request);
    }

    public static Task<GraphQLResponse> FileAsync(this GraphQLClient client, string token, string id) =>
        client.SendAsync($"query($id: ID!) {{ file(id: $id) {{ {FileFields} }} }}", new { id }, token);

    public static Task<GraphQLResponse> SetAvatarAsync(this GraphQLClient client, string token, string fileId) =>
        client.SendAsync($"mutation($f: ID!) {{ setAvatar(fileId: $f) {{ {FileFields} }} }}", new { f = fileId }, token);

    public static Task<GraphQLResponse> PostWithAttachmentsAsync(this GraphQLClient client, string token, string roomId, string text,
        params string[] attachmentIds) =>
        client.SendAsync("mutation($input: PostMessageInput!) { postMessage(input: $input) { message { id } } }",
            new { input = new { roomId, text, attachmentIds } }, token);
}
