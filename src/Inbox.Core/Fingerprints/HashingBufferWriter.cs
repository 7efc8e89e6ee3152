using System.Buffers;
using System.Security.Cryptography;

namespace Inbox.Fingerprints;

/// <summary>An <see cref="IBufferWriter{T}"/> that hashes what is written into a pooled buffer instead of keeping it.</summary>
internal sealed class HashingBufferWriter(IncrementalHash hash) : IBufferWriter<byte>, IDisposable
{
    private byte[] _buffer = ArrayPool<byte>.Shared.Rent(4096);

    public void Advance(int count) => hash.AppendData(_buffer, 0, count);

    public Memory<byte> GetMemory(int sizeHint = 0)
    {
        Grow(sizeHint);
        return _buffer;
    }

    public Span<byte> GetSpan(int sizeHint = 0)
    {
        Grow(sizeHint);
        return _buffer;
    }

    public void Dispose() => ArrayPool<byte>.Shared.Return(_buffer);

    private void Grow(int sizeHint)
    {
        if (sizeHint > _buffer.Length)
        {
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = ArrayPool<byte>.Shared.Rent(sizeHint);
        }
    }
}
