using System.Text;

namespace EventStore.Domain.Files;

/// <summary>
/// The allow-list of file types, recognised from the first bytes of the content (magic numbers), never from the name or
/// the type the client claims. Plain text has no magic number: a file that starts with none of the others is text when
/// every byte of it is UTF-8 without control characters other than tab, line feed, carriage return and form feed
/// (<see cref="TextCheck"/> runs over the whole stream, not only the head). docs/files.md lists the types.
/// </summary>
public static class FileTypes
{
    public const string Png = "image/png";
    public const string Jpeg = "image/jpeg";
    public const string Gif = "image/gif";
    public const string WebP = "image/webp";
    public const string Pdf = "application/pdf";
    public const string Text = "text/plain";

    /// <summary>Bytes of the head needed to recognise every type.</summary>
    public const int HeadBytes = 16;

    public static readonly IReadOnlySet<string> Images = new HashSet<string>(StringComparer.Ordinal) { Png, Jpeg, Gif, WebP };

    /// <summary>The type the head of the content shows; <see cref="Text"/> only as a candidate (check the rest with <see cref="TextCheck"/>).</summary>
    public static string? Sniff(ReadOnlySpan<byte> head)
    {
        if (head.StartsWith((ReadOnlySpan<byte>)[0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]))
        {
            return Png;
        }

        if (head.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xD8, 0xFF]))
        {
            return Jpeg;
        }

        if (head.StartsWith("GIF87a"u8) || head.StartsWith("GIF89a"u8))
        {
            return Gif;
        }

        if (head.Length >= 12 && head.StartsWith("RIFF"u8) && head[8..12].SequenceEqual("WEBP"u8))
        {
            return WebP;
        }

        if (head.StartsWith("%PDF-"u8))
        {
            return Pdf;
        }

        return Text;
    }

    /// <summary>The file name extension a type is saved with.</summary>
    public static string Extension(string contentType) => contentType switch
    {
        Png => ".png",
        Jpeg => ".jpg",
        Gif => ".gif",
        WebP => ".webp",
        Pdf => ".pdf",
        _ => ".txt",
    };

    /// <summary>Extensions accepted as they are for a type (others get <see cref="Extension"/> appended).</summary>
    public static bool IsExtensionOf(string extension, string contentType) => contentType switch
    {
        Jpeg => extension is ".jpg" or ".jpeg",
        Text => extension is ".txt" or ".csv" or ".log" or ".md",
        _ => extension == Extension(contentType),
    };
}

/// <summary>
/// Streaming check that content is plain text: valid UTF-8 (a sequence may span chunks) with no control character but
/// tab, line feed, carriage return and form feed. Feed every chunk, then <see cref="Complete"/>.
/// </summary>
public sealed class TextCheck
{
    private readonly Decoder _decoder = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true).GetDecoder();
    private char[] _chars = new char[4096];

    public bool IsText { get; private set; } = true;

    public void Feed(ReadOnlySpan<byte> bytes) => Decode(bytes, flush: false);

    public bool Complete()
    {
        Decode([], flush: true);
        return IsText;
    }

    private void Decode(ReadOnlySpan<byte> bytes, bool flush)
    {
        if (!IsText)
        {
            return;
        }

        try
        {
            var needed = _decoder.GetCharCount(bytes, flush);
            if (needed > _chars.Length)
            {
                _chars = new char[needed];
            }

            var count = _decoder.GetChars(bytes, _chars, flush);
            foreach (var c in _chars.AsSpan(0, count))
            {
                if (c is < ' ' and not ('\t' or '\n' or '\r' or '\f') || c is '\u007F' || c is >= '\u0080' and <= '\u009F')
                {
                    IsText = false;
                    return;
                }
            }
        }
        catch (DecoderFallbackException)
        {
            IsText = false;
        }
    }
}
