using System.Buffers;

namespace Inbox.AspNetCore.Synchronous;

/// <summary>
/// The response body of a synchronous request, held in pooled segments until the response is stored, so that the
/// client never gets a response that a retry would not get again (and a failing handler's partial body is never sent).
/// Past <c>limit</c> bytes it calls <c>overflow</c> once, sends what it holds and passes every later write straight
/// through, as ASP.NET Core Output Caching's stream stops capturing past its limit.
/// </summary>
internal sealed class ResponseCaptureStream(Stream inner, long limit, Func<Task> overflow) : Stream
{
    private const int SegmentSize = 16 * 1024;

    private readonly List<byte[]> _segments = [];
    private int _lastSegmentUsed = SegmentSize;
    private bool _disposed;

    /// <summary>The bytes held (or, once passing through, held before it began).</summary>
    public long CapturedLength { get; private set; }

    /// <summary>Whether the body outgrew the limit: it is being sent as written and is not stored.</summary>
    public bool PassingThrough { get; private set; }

    public override bool CanRead => false;

    public override bool CanSeek => false;

    public override bool CanWrite => !_disposed;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        if (PassingThrough)
        {
            inner.Write(buffer);
            return;
        }

        if (CapturedLength + buffer.Length > limit)
        {
            // Synchronous writes reach here only where the application allowed synchronous I/O.
            OverflowAsync(CancellationToken.None).GetAwaiter().GetResult();
            inner.Write(buffer);
            return;
        }

        Append(buffer);
    }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void WriteByte(byte value) => Write([value]);

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (!PassingThrough && CapturedLength + buffer.Length > limit)
        {
            await OverflowAsync(cancellationToken).ConfigureAwait(false);
        }

        if (PassingThrough)
        {
            await inner.WriteAsync(buffer, cancellationToken).ConfigureAwait(false);
            return;
        }

        Append(buffer.Span);
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Flush()
    {
        if (PassingThrough)
        {
            inner.Flush();
        }
    }

    // Held bytes are sent when the response is stored (or released); flushing them earlier would commit the status.
    public override Task FlushAsync(CancellationToken cancellationToken) =>
        PassingThrough ? inner.FlushAsync(cancellationToken) : Task.CompletedTask;

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    /// <summary>The held body as one array, for the store.</summary>
    public byte[] ToArray()
    {
        var body = new byte[CapturedLength];
        var written = 0;
        for (var i = 0; i < _segments.Count; i++)
        {
            var used = Used(i);
            _segments[i].AsSpan(0, used).CopyTo(body.AsSpan(written));
            written += used;
        }

        return body;
    }

    /// <summary>Sends the held bytes to the client and lets go of them.</summary>
    public async Task SendHeldAsync(CancellationToken cancellationToken)
    {
        for (var i = 0; i < _segments.Count; i++)
        {
            await inner.WriteAsync(_segments[i].AsMemory(0, Used(i)), cancellationToken).ConfigureAwait(false);
        }

        ReturnSegments();
    }

    protected override void Dispose(bool disposing)
    {
        if (!_disposed)
        {
            _disposed = true;
            ReturnSegments();
        }

        base.Dispose(disposing);
    }

    private async Task OverflowAsync(CancellationToken cancellationToken)
    {
        PassingThrough = true;
        await overflow().ConfigureAwait(false);
        await SendHeldAsync(cancellationToken).ConfigureAwait(false);
    }

    private void Append(ReadOnlySpan<byte> buffer)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        CapturedLength += buffer.Length;
        while (!buffer.IsEmpty)
        {
            if (_lastSegmentUsed == SegmentSize)
            {
                _segments.Add(ArrayPool<byte>.Shared.Rent(SegmentSize));
                _lastSegmentUsed = 0;
            }

            var segment = _segments[^1];
            var count = Math.Min(buffer.Length, SegmentSize - _lastSegmentUsed);
            buffer[..count].CopyTo(segment.AsSpan(_lastSegmentUsed));
            _lastSegmentUsed += count;
            buffer = buffer[count..];
        }
    }

    private int Used(int segment) => segment == _segments.Count - 1 ? _lastSegmentUsed : SegmentSize;

    private void ReturnSegments()
    {
        foreach (var segment in _segments)
        {
            ArrayPool<byte>.Shared.Return(segment);
        }

        _segments.Clear();
        _lastSegmentUsed = SegmentSize;
    }
}
