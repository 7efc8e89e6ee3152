using Inbox.AspNetCore.Synchronous;

namespace Inbox.AspNetCore.Tests.Synchronous;

public sealed class ResponseCaptureStreamTests
{
    private static readonly byte[] Body = Enumerable.Range(0, 40_000).Select(i => (byte)(i % 253)).ToArray();

    [Fact]
    public async Task Holds_every_write_across_segments_and_sends_nothing_until_asked()
    {
        var client = new MemoryStream();
        var overflows = 0;
        using var capture = new ResponseCaptureStream(client, limit: Body.Length, () => { overflows++; return Task.CompletedTask; });

        for (var offset = 0; offset < Body.Length; offset += 7_001)
        {
            await capture.WriteAsync(Body.AsMemory(offset, Math.Min(7_001, Body.Length - offset)));
            await capture.FlushAsync();
        }

        Assert.Equal(0, client.Length);
        Assert.Equal(Body.Length, capture.CapturedLength);
        Assert.Equal(Body, capture.ToArray());
        await capture.SendHeldAsync(CancellationToken.None);
        Assert.Equal(Body, client.ToArray());
        Assert.Equal(0, overflows);
        Assert.False(capture.PassingThrough);
    }

    [Fact]
    public async Task Past_the_limit_it_lets_go_once_sends_what_it_held_and_passes_the_rest_through()
    {
        var client = new MemoryStream();
        var heldWhenLettingGo = -1L;
        using var capture = new ResponseCaptureStream(client, limit: 10_000, () => { heldWhenLettingGo = client.Length; return Task.CompletedTask; });

        await capture.WriteAsync(Body.AsMemory(0, 9_000));
        await capture.WriteAsync(Body.AsMemory(9_000, 2_000));
        await capture.WriteAsync(Body.AsMemory(11_000));

        Assert.Equal(0, heldWhenLettingGo);
        Assert.True(capture.PassingThrough);
        Assert.Equal(Body, client.ToArray());
    }
}
