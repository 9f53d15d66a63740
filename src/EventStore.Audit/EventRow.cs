using System.Text;

namespace EventStore.Audit;

/// <summary>
/// One stored event as raw UTF-8 fields (as PostgreSQL sends them), in one buffer reused from row to row: what the ledger
/// and the export canonicalize a million times without allocating. <see cref="StoredEvent"/> is the same fact as strings.
/// </summary>
public sealed class EventRow
{
    public enum Field
    {
        Id,
        StreamId,
        Type,
        Timestamp,
        Data,
        CorrelationId,
        CausationId,
        Actor,
        Headers,
    }

    private const int FieldCount = 9;
    private readonly int[] _starts = new int[FieldCount];
    private readonly int[] _lengths = new int[FieldCount];
    private byte[] _buffer = new byte[4096];
    private int _used;

    public long Sequence { get; set; }

    public long Version { get; set; }

    /// <summary>Starts a new row: every field is null until set.</summary>
    public void Clear()
    {
        _used = 0;
        Array.Fill(_lengths, -1);
    }

    /// <summary>Room for a field of <paramref name="length"/> bytes; fill all of it (or call <see cref="Shrink"/>).</summary>
    public ArraySegment<byte> Reserve(Field field, int length)
    {
        if (_used + length > _buffer.Length)
        {
            Array.Resize(ref _buffer, Math.Max(_buffer.Length * 2, _used + length));
        }

        _starts[(int)field] = _used;
        _lengths[(int)field] = length;
        _used += length;
        return new ArraySegment<byte>(_buffer, _starts[(int)field], length);
    }

    /// <summary>Drops the first <paramref name="count"/> bytes of a field (a prefix that is not part of the value).</summary>
    public void SkipStart(Field field, int count)
    {
        _starts[(int)field] += count;
        _lengths[(int)field] -= count;
    }

    /// <summary>Keeps only the first <paramref name="length"/> bytes of the field reserved last.</summary>
    public void Shrink(Field field, int length)
    {
        _used -= _lengths[(int)field] - length;
        _lengths[(int)field] = length;
    }

    public void Set(Field field, string? value)
    {
        if (value is not null)
        {
            Shrink(field, Encoding.UTF8.GetBytes(value, Reserve(field, Encoding.UTF8.GetMaxByteCount(value.Length))));
        }
        else
        {
            _lengths[(int)field] = -1;
        }
    }

    public bool IsNull(Field field) => _lengths[(int)field] < 0;

    public ReadOnlySpan<byte> Get(Field field) => Memory(field).Span;

    public ReadOnlyMemory<byte> Memory(Field field) =>
        IsNull(field) ? ReadOnlyMemory<byte>.Empty : _buffer.AsMemory(_starts[(int)field], _lengths[(int)field]);

    public static EventRow From(StoredEvent e)
    {
        var row = new EventRow();
        row.Clear();
        row.Sequence = e.Sequence;
        row.Version = e.Version;
        row.Set(Field.Id, e.Id);
        row.Set(Field.StreamId, e.StreamId);
        row.Set(Field.Type, e.Type);
        row.Set(Field.Timestamp, e.Timestamp);
        row.Set(Field.Data, e.DataJson);
        row.Set(Field.CorrelationId, e.CorrelationId);
        row.Set(Field.CausationId, e.CausationId);
        row.Set(Field.Actor, e.Actor);
        row.Set(Field.Headers, e.HeadersJson);
        return row;
    }
}
