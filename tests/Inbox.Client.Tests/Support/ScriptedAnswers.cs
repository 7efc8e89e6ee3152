using System.Collections.Concurrent;
using System.Net;

namespace Inbox.Client.Tests.Support;

/// <summary>
/// The innermost handler of the handler-composition tests: answers each attempt with the next scripted status and
/// records the key it carried. It stands in for the network only where the handlers' order is under test.
/// </summary>
public sealed class ScriptedAnswers(params HttpStatusCode[] statuses) : HttpMessageHandler
{
    private int _next;

    public ConcurrentQueue<string?> Keys { get; } = new();

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        Keys.Enqueue(request.Headers.TryGetValues("Idempotency-Key", out var values) ? values.Single()
            : request.Headers.TryGetValues("X-Idempotency-Key", out values) ? values.Single() : null);
        var status = statuses[Math.Min(Interlocked.Increment(ref _next) - 1, statuses.Length - 1)];
        return Task.FromResult(new HttpResponseMessage(status) { RequestMessage = request });
    }
}
