using System.Buffers.Binary;
using System.Security.Cryptography;

namespace EventStore.Api.Files;

/// <summary>
/// Streaming encryption of stored files: AES-256-GCM over 64 KiB chunks (docs/files.md, "Encryption").
/// <list type="bullet">
/// <item>Key: per file, HKDF-SHA-256 of the owner's personal-data key (salt: the file id; info: <see cref="KeyPurpose"/>),
/// so erasing the owner (deleting that key) makes every file of theirs unreadable, and no two files share a key.</item>
/// <item>Object: the 4-byte magic <c>ESF1</c>, then for each chunk <c>ciphertext || tag[16]</c>; every chunk holds
/// <see cref="ChunkSize"/> plaintext bytes except the last (1 to <see cref="ChunkSize"/>).</item>
/// <item>Nonce (12 bytes): byte 0 is 1 for the last chunk and 0 otherwise, bytes 4-11 the chunk index (big-endian). The
/// key is unique per file, so a nonce never repeats under one key; the last-chunk flag makes truncation or extension of
/// an object fail authentication, and the index makes reordering fail.</item>
/// </list>
/// Chunks sit at fixed offsets, so a range request decrypts only the chunks it touches.
/// </summary>
public static class FileCipher
{
    public const string KeyPurpose = "eventstore/files/v1";
    public const int ChunkSize = 64 * 1024;
    public const int TagSize = 16;
    public static ReadOnlySpan<byte> Magic => "ESF1"u8;
    public static int HeaderSize => Magic.Length;

    public static long ChunkCount(long plaintextSize) => Math.Max(1, (plaintextSize + ChunkSize - 1) / ChunkSize);

    public static long ChunkOffset(long index) => HeaderSize + index * (ChunkSize + TagSize);

    public static long CiphertextSize(long plaintextSize) => HeaderSize + plaintextSize + ChunkCount(plaintextSize) * TagSize;

    public static void Nonce(Span<byte> nonce, long index, bool last)
    {
        nonce.Clear();
        nonce[0] = last ? (byte)1 : (byte)0;
        BinaryPrimitives.WriteInt64BigEndian(nonce[4..], index);
    }
}

/// <summary>
/// Encrypts a stream of plaintext of unknown length into <see cref="FileCipher"/>'s format. A full chunk is held back until
/// more data arrives (or <see cref="CompleteAsync"/>), because only then is it known whether it is the last one.
/// Memory: two chunk buffers, whatever the file's size.
/// </summary>
public sealed class FileEncryptor : IDisposable
{
    private readonly AesGcm _aes;
    private readonly Stream _output;
    private readonly byte[] _chunk = new byte[FileCipher.ChunkSize];
    private readonly byte[] _sealed = new byte[FileCipher.ChunkSize + FileCipher.TagSize];
    private int _filled;
    private long _index;
    private bool _headerWritten;

    public FileEncryptor(byte[] key, Stream output)
    {
        _aes = new AesGcm(key, FileCipher.TagSize);
        _output = output;
    }

    public async Task WriteAsync(ReadOnlyMemory<byte> data, CancellationToken ct)
    {
        if (!_headerWritten)
        {
            await _output.WriteAsync(FileCipher.Magic.ToArray(), ct);
            _headerWritten = true;
        }

        while (data.Length > 0)
        {
            if (_filled == FileCipher.ChunkSize)
            {
                await SealAsync(last: false, ct); // more data follows: this chunk was not the last
            }

            var take = Math.Min(data.Length, FileCipher.ChunkSize - _filled);
            data[..take].CopyTo(_chunk.AsMemory(_filled));
            _filled += take;
            data = data[take..];
        }
    }

    public Task CompleteAsync(CancellationToken ct) => SealAsync(last: true, ct);

    private async Task SealAsync(bool last, CancellationToken ct)
    {
        var nonce = new byte[12];
        FileCipher.Nonce(nonce, _index, last);
        _aes.Encrypt(nonce, _chunk.AsSpan(0, _filled), _sealed.AsSpan(0, _filled), _sealed.AsSpan(_filled, FileCipher.TagSize));
        await _output.WriteAsync(_sealed.AsMemory(0, _filled + FileCipher.TagSize), ct);
        _index++;
        _filled = 0;
    }

    public void Dispose() => _aes.Dispose();
}

/// <summary>
/// The plaintext of a stored object as a read-only, seekable stream of the file's length: ASP.NET's range processing seeks
/// it. It reads and authenticates one chunk at a time from the store, opening the object again at the chunk's offset
/// after a seek; a chunk that fails authentication throws <see cref="CryptographicException"/>.
/// </summary>
/// <param name="first">Optionally, the object already opened at the first chunk (so a missing object is known before answering).</param>
public sealed class FileDecryptingStream(byte[] key, long length, Func<long, CancellationToken, Task<Stream>> openAt, Stream? first = null)
    : Stream
{
    private readonly AesGcm _aes = new(key, FileCipher.TagSize);
    private readonly byte[] _sealed = new byte[FileCipher.ChunkSize + FileCipher.TagSize];
    private readonly byte[] _plain = new byte[FileCipher.ChunkSize];
    private Stream? _source = first;
    private long _sourceChunk = first is null ? -1 : 0; // the chunk the source is positioned at
    private long _plainChunk = -1;  // the chunk in _plain
    private int _plainLength;
    private long _position;

    public override bool CanRead => true;
    public override bool CanSeek => true;
    public override bool CanWrite => false;
    public override long Length => length;

    public override long Position
    {
        get => _position;
        set => _position = value is >= 0 ? value : throw new ArgumentOutOfRangeException(nameof(value));
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (_position >= length || buffer.Length == 0)
        {
            return 0;
        }

        var index = _position / FileCipher.ChunkSize;
        if (index != _plainChunk)
        {
            await LoadChunkAsync(index, cancellationToken);
        }

        var within = (int)(_position - index * FileCipher.ChunkSize);
        var count = Math.Min(buffer.Length, _plainLength - within);
        _plain.AsMemory(within, count).CopyTo(buffer);
        _position += count;
        return count;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer, offset, count, CancellationToken.None).GetAwaiter().GetResult();

    private async Task LoadChunkAsync(long index, CancellationToken ct)
    {
        var chunks = FileCipher.ChunkCount(length);
        var last = index == chunks - 1;
        var plainLength = last ? (int)(length - index * FileCipher.ChunkSize) : FileCipher.ChunkSize;
        if (_source is null || _sourceChunk != index)
        {
            if (_source is not null)
            {
                await _source.DisposeAsync();
            }

            _source = await openAt(FileCipher.ChunkOffset(index), ct);
        }

        var sealedLength = plainLength + FileCipher.TagSize;
        await _source.ReadExactlyAsync(_sealed.AsMemory(0, sealedLength), ct);
        _sourceChunk = index + 1;
        var nonce = new byte[12];
        FileCipher.Nonce(nonce, index, last);
        _aes.Decrypt(nonce, _sealed.AsSpan(0, plainLength), _sealed.AsSpan(plainLength, FileCipher.TagSize), _plain.AsSpan(0, plainLength));
        _plainChunk = index;
        _plainLength = plainLength;
    }

    public override long Seek(long offset, SeekOrigin origin) => Position = origin switch
    {
        SeekOrigin.Begin => offset,
        SeekOrigin.Current => _position + offset,
        _ => length + offset,
    };

    public override void Flush()
    {
    }

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _source?.Dispose();
            _aes.Dispose();
        }

        base.Dispose(disposing);
    }

    public override async ValueTask DisposeAsync()
    {
        if (_source is not null)
        {
            await _source.DisposeAsync();
        }

        _aes.Dispose();
        await base.DisposeAsync();
    }
}
