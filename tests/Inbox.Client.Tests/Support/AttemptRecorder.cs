using System.Collections.Concurrent;
using System.Net;

namespace Inbox.Client.Tests.Support;

/// <summary>
/// Sits below the retry (the innermost handler), so it sees every attempt: records each one's key and answer, and can
/// drop an answer after the server has processed the request, as a broken connection would.
/// </summary>
public sealed class AttemptRecorder : DelegatingHandler
{
    private int _count;

    public ConcurrentQueue<Attempt> Attempts { get; } = new();

    /// <summary>Given the 1-based attempt number, whether to throw away the server's answer and fail with a transport error.</summary>
    public Func<int, bool> DropAnswer { get; set; } = static _ => false;

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var number = Interlocked.Increment(ref _count);
        var key = request.Headers.TryGetValues("Idempotency-Key", out var values) ? values.Single() : null;
        var response = await base.SendAsync(request, cancellationToken);
        if (DropAnswer(number))
        {
            Attempts.Enqueue(new Attempt(request.Method, key, null));
            response.Dispose();
            throw new HttpRequestException("The connection broke before the answer arrived (dropped by the test).");
        }

        Attempts.Enqueue(new Attempt(request.Method, key, response.StatusCode));
        return response;
    }

    public sealed record Attempt(HttpMethod Method, string? Key, HttpStatusCode? Status);
}
