namespace Inbox.Client.Keys;

/// <summary>
/// Keys every POST, PUT and PATCH that has no key. It sits outside the resilience handler, so the key is fixed
/// before the first attempt and every retry carries it; a handler beneath the retries would give each attempt a new key.
/// </summary>
internal sealed class IdempotencyKeyHandler(string headerName, Func<string> generate) : DelegatingHandler
{
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        RequestKeys.Ensure(request, headerName, generate);
        return base.SendAsync(request, cancellationToken);
    }

    protected override HttpResponseMessage Send(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        RequestKeys.Ensure(request, headerName, generate);
        return base.Send(request, cancellationToken);
    }
}
