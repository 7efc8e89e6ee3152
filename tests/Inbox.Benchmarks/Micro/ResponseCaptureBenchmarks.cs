using BenchmarkDotNet.Attributes;
using Inbox.AspNetCore.Synchronous;

namespace Inbox.Benchmarks.Micro;

/// <summary>
/// The synchronous endpoints' response capture: a body written in 4 KiB chunks, held in pooled segments and sent.
/// The store's copy (one array of the body's length, what the database parameter needs) is measured apart.
/// </summary>
[MemoryDiagnoser]
public class ResponseCaptureBenchmarks
{
    private byte[] _chunk = [];

    [Params(1024, 256 * 1024)]
    public int BodyBytes { get; set; }

    [GlobalSetup]
    public void Setup() => _chunk = Enumerable.Range(0, 4096).Select(i => (byte)i).ToArray();

    [Benchmark(Description = "capture: write, hold, send")]
    public async Task<long> CaptureAsync()
    {
        using var capture = new ResponseCaptureStream(Stream.Null, limit: 1024 * 1024, overflow: static () => Task.CompletedTask);
        await WriteBodyAsync(capture);
        var length = capture.CapturedLength;
        await capture.SendHeldAsync(CancellationToken.None);
        return length;
    }

    [Benchmark(Description = "capture + the store's copy")]
    public async Task<int> CaptureAndCopyAsync()
    {
        using var capture = new ResponseCaptureStream(Stream.Null, limit: 1024 * 1024, overflow: static () => Task.CompletedTask);
        await WriteBodyAsync(capture);
        var stored = capture.ToArray();
        await capture.SendHeldAsync(CancellationToken.None);
        return stored.Length;
    }

    private async Task WriteBodyAsync(ResponseCaptureStream capture)
    {
        for (var written = 0; written < BodyBytes; written += _chunk.Length)
        {
            await capture.WriteAsync(_chunk.AsMemory(0, Math.Min(_chunk.Length, BodyBytes - written)));
        }
    }
}
