using System.Net.Sockets;
using System.Text;

namespace EventStore.IntegrationTests.Api.Malformed;

/// <summary>
/// HTTP/1.1 written byte by byte over TCP, for what HttpClient will not send: a body shorter than its Content-Length,
/// broken chunked framing, a Content-Length the client never means to honour.
/// </summary>
internal static class RawHttp
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Sends <paramref name="head"/> and <paramref name="body"/> (then, with <paramref name="endSending"/>, a FIN: the
    /// client has hung up), and reads the answer: status 0 when the server closed without one.
    /// </summary>
    public static async Task<(int Status, string Headers, string Body)> SendAsync(Uri server, string head, byte[] body,
        bool endSending = true)
    {
        using var timeout = new CancellationTokenSource(Timeout);
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(server.Host, server.Port, timeout.Token);
        var stream = tcp.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes(head.ReplaceLineEndings("\r\n") + "\r\n"), timeout.Token);
        await stream.WriteAsync(body, timeout.Token);
        if (endSending)
        {
            tcp.Client.Shutdown(SocketShutdown.Send);
        }

        var response = new MemoryStream();
        var buffer = new byte[16 * 1024];
        while (true)
        {
            int read;
            try
            {
                read = await stream.ReadAsync(buffer, timeout.Token);
            }
            catch (IOException)
            {
                break; // reset by the server
            }

            if (read == 0)
            {
                break;
            }

            response.Write(buffer, 0, read);
            if (Complete(response.ToArray()))
            {
                break;
            }
        }

        var text = Encoding.UTF8.GetString(response.ToArray());
        if (!text.StartsWith("HTTP/", StringComparison.Ordinal))
        {
            return (0, "", text);
        }

        var split = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        var headers = split < 0 ? text : text[..split];
        var status = int.Parse(headers.Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture);
        return (status, headers, split < 0 ? "" : text[(split + 4)..]);
    }

    /// <summary>Headers and a body as long as the response's Content-Length.</summary>
    private static bool Complete(byte[] response)
    {
        var text = Encoding.ASCII.GetString(response);
        var split = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        if (split < 0)
        {
            return false;
        }

        var length = text[..split].Split("\r\n")
            .Where(h => h.StartsWith("Content-Length:", StringComparison.OrdinalIgnoreCase))
            .Select(h => int.Parse(h["Content-Length:".Length..].Trim(), System.Globalization.CultureInfo.InvariantCulture))
            .DefaultIfEmpty(-1).First();
        return length >= 0 && response.Length >= split + 4 + length;
    }
}
