using System.Buffers;
using System.Security.Cryptography;

namespace Closer.Web.Features.OpenData;

/// <summary>
/// A write-only body buffer in pooled 64 KB chunks, for answers that are hashed before they are sent
/// (<see cref="ConditionalRequests"/>). A MemoryStream doubles one array as it grows: a 2 MB page of open data went
/// through arrays of 128 KB to 4 MB, each a new large-object-heap allocation (and the copies between them), and the large
/// object heap's budget is what starts the full collections that stall every request. Chunks below the large-object size,
/// rented and returned, cost none of that.
/// </summary>
internal sealed class PooledBuffer : Stream
{
    private const int ChunkSize = 64 * 1024;

    private readonly List<byte[]> _chunks = [];
    private int _used = ChunkSize;
    private long _length;

    public override bool CanRead => false;
    public override bool CanSeek => false;
    public override bool CanWrite => true;
    public override long Length => _length;
    public override long Position { get => _length; set => throw new NotSupportedException(); }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        while (buffer.Length > 0)
        {
            if (_used == ChunkSize)
            {
                _chunks.Add(ArrayPool<byte>.Shared.Rent(ChunkSize));
                _used = 0;
            }
            var n = Math.Min(buffer.Length, ChunkSize - _used);
            buffer[..n].CopyTo(_chunks[^1].AsSpan(_used));
            _used += n;
            _length += n;
            buffer = buffer[n..];
        }
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
    {
        Write(buffer.AsSpan(offset, count));
        return Task.CompletedTask;
    }

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        Write(buffer.Span);
        return ValueTask.CompletedTask;
    }

    public override void Flush()
    {
    }

    public override Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>SHA-256 of everything written.</summary>
    public byte[] Sha256()
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var chunk in Chunks())
        {
            hash.AppendData(chunk.Span);
        }
        return hash.GetHashAndReset();
    }

    /// <summary>Writes everything written to <paramref name="destination"/>.</summary>
    public async Task WriteToAsync(Stream destination, CancellationToken ct)
    {
        foreach (var chunk in Chunks())
        {
            await destination.WriteAsync(chunk, ct);
        }
    }

    private IEnumerable<ReadOnlyMemory<byte>> Chunks()
    {
        for (var i = 0; i < _chunks.Count; i++)
        {
            yield return _chunks[i].AsMemory(0, i == _chunks.Count - 1 ? _used : ChunkSize);
        }
    }

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        foreach (var chunk in _chunks)
        {
            ArrayPool<byte>.Shared.Return(chunk);
        }
        _chunks.Clear();
        _length = 0;
        _used = ChunkSize;
        base.Dispose(disposing);
    }
}
