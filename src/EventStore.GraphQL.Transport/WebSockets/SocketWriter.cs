using System.Net.WebSockets;
using System.Text;
using System.Threading.Channels;

namespace EventStore.GraphQL.Transport.WebSockets;

/// <summary>
/// The only code that writes to a socket: one bounded queue, one loop, so `SendAsync` never runs concurrently.
/// A close jumps the queue (what is still queued is dropped), and a full queue means the client reads too slowly for
/// us to buffer any more for it: close 1013, never wait, so one slow client never holds up its producers.
/// </summary>
internal sealed class SocketWriter(WebSocket socket, int capacity)
{
    /// <summary>The protocol's limit on a close reason (RFC 6455: 125 bytes of control payload minus the code).</summary>
    public const int MaxReasonBytes = 123;

    private readonly Channel<byte[]> queue = Channel.CreateBounded<byte[]>(
        new BoundedChannelOptions(capacity) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });

    private readonly Lock gate = new();
    private readonly TaskCompletionSource closeRequested = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private TaskCompletionSource drained = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int waiting;
    private int closing;
    private int closeCode;
    private string closeReason = "";

    public bool IsClosing => Volatile.Read(ref closing) == 1;

    /// <summary>Completes when a close is requested, even while a send is still blocked on a client that does not read.</summary>
    public Task CloseRequested => closeRequested.Task;

    public void Send(byte[] message)
    {
        if (!IsClosing && !queue.Writer.TryWrite(message))
        {
            Close(CloseCodes.TryAgainLater, "Try again later: the client reads too slowly");
        }
    }

    /// <summary>
    /// Waits until the queue is at most half full, or the socket is closing: a producer that can wait (a replay read
    /// from the store) paces itself here, so only a client that does not read ever fills the queue.
    /// </summary>
    public async ValueTask WaitForRoomAsync(CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref waiting);
        try
        {
            while (!IsClosing && queue.Reader.Count >= RoomMark)
            {
                Task signal;
                lock (gate)
                {
                    signal = drained.Task;
                }

                // Checked again after taking the signal: a drain in between has either set this signal or is seen here.
                if (IsClosing || queue.Reader.Count < RoomMark)
                {
                    break;
                }

                await signal.WaitAsync(cancellationToken);
            }
        }
        finally
        {
            Interlocked.Decrement(ref waiting);
        }
    }

    private int RoomMark => Math.Max(1, capacity / 2);

    private void SignalRoom()
    {
        TaskCompletionSource signal;
        lock (gate)
        {
            signal = drained;
            drained = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        signal.TrySetResult();
    }

    /// <summary>Asks for the close frame; the first request wins.</summary>
    public void Close(int code, string reason)
    {
        lock (gate)
        {
            if (IsClosing)
            {
                return;
            }

            closeCode = code;
            closeReason = LimitReason(reason);
            Volatile.Write(ref closing, 1);
        }

        queue.Writer.TryComplete();
        closeRequested.TrySetResult();
        SignalRoom();
    }

    /// <summary>Sends until a close is requested, then sends the close frame. Ends when the socket is done for.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        try
        {
            while (!IsClosing && await queue.Reader.WaitToReadAsync(cancellationToken))
            {
                while (!IsClosing && queue.Reader.TryRead(out var message))
                {
                    await socket.SendAsync(message, WebSocketMessageType.Text, endOfMessage: true, cancellationToken);
                    if (Volatile.Read(ref waiting) > 0 && queue.Reader.Count < RoomMark)
                    {
                        SignalRoom();
                    }
                }
            }

            if (IsClosing && socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
            {
                await socket.CloseOutputAsync((WebSocketCloseStatus)closeCode, closeReason, cancellationToken);
            }
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or ObjectDisposedException)
        {
            // The peer went away or the connection is being torn down: nothing left to send to.
        }
    }

    public static string LimitReason(string reason)
    {
        if (Encoding.UTF8.GetByteCount(reason) <= MaxReasonBytes)
        {
            return reason;
        }

        var length = reason.Length;
        while (length > 0 && Encoding.UTF8.GetByteCount(reason.AsSpan(0, length)) > MaxReasonBytes)
        {
            length--;
        }

        // Never cut a surrogate pair in half.
        return char.IsHighSurrogate(reason[length - 1]) ? reason[..(length - 1)] : reason[..length];
    }
}
