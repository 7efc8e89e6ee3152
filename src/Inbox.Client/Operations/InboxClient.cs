using System.Net.Http.Headers;
using System.Net.Http.Json;
using Inbox.Client.Keys;
using Inbox.Client.Responses;

namespace Inbox.Client;

/// <summary>
/// Submits operations to an API of the Inbox contract and waits for their outcome. Give it an <see cref="HttpClient"/>
/// built with <c>AddIdempotencyKeys()</c> and <c>AddIdempotentResilienceHandler()</c> (as a typed client:
/// <c>services.AddHttpClient&lt;InboxClient&gt;(...)</c>), so a submission is retried safely with one key.
/// </summary>
public sealed class InboxClient
{
    /// <summary>Creates a client over <paramref name="httpClient"/>.</summary>
    /// <exception cref="ArgumentException">The options break a rule (the message names every one).</exception>
    public InboxClient(HttpClient httpClient, InboxClientOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(httpClient);
        Options = options ?? new InboxClientOptions();
        var errors = Options.Validate();
        if (errors.Count > 0)
        {
            throw new ArgumentException(string.Join(" ", errors), nameof(options));
        }

        HttpClient = httpClient;
    }

    internal HttpClient HttpClient { get; }

    internal InboxClientOptions Options { get; }

    /// <summary>
    /// Posts <paramref name="body"/> as JSON to <paramref name="requestUri"/> and returns the accepted operation; with
    /// <see cref="WaitUntil.Completed"/>, after it has succeeded (a failure throws <see cref="InboxOperationFailedException"/>).
    /// </summary>
    /// <param name="waitUntil">Whether to return on acceptance or on completion.</param>
    /// <param name="requestUri">The submission endpoint, e.g. <c>/v1/claims</c>.</param>
    /// <param name="body">The request body, written with <see cref="InboxClientOptions.SerializerOptions"/>.</param>
    /// <param name="idempotencyKey">The key you persisted with the draft; <c>null</c> generates one for this call.</param>
    /// <param name="cancellationToken">Cancels the submission, its retries and the wait.</param>
    /// <exception cref="InboxRequestFailedException">The server refused the submission (e.g. a reused key with another body).</exception>
    public async Task<InboxOperation<TResult>> SubmitAsync<TResult>(
        WaitUntil waitUntil, string requestUri, object body, string? idempotencyKey = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(body);
        using var request = new HttpRequestMessage(HttpMethod.Post, requestUri)
        {
            Content = JsonContent.Create(body, body.GetType(), options: Options.SerializerOptions),
        };
        if (idempotencyKey is not null)
        {
            request.SetIdempotencyKey(idempotencyKey);
        }

        return await SubmitAsync<TResult>(waitUntil, request, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Sends <paramref name="request"/> (its content must be readable more than once, as <c>JsonContent</c>,
    /// <c>StringContent</c> and <c>ByteArrayContent</c> are, so a retry can resend it) and follows the <c>202</c> to its
    /// operation: the status URL from <c>Operation-Location</c>, else <c>Location</c>. A POST, PUT or PATCH without a key gets one.
    /// </summary>
    /// <exception cref="InboxRequestFailedException">The server refused the submission.</exception>
    /// <exception cref="InvalidOperationException">The answer named no status URL.</exception>
    public async Task<InboxOperation<TResult>> SubmitAsync<TResult>(WaitUntil waitUntil, HttpRequestMessage request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        RequestKeys.Ensure(request, Options.HeaderName, IdempotencyKeyOptions.NewUuid);
        using var response = await HttpClient.SendAsync(request, cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            throw await FailureAsync(response, cancellationToken).ConfigureAwait(false);
        }

        var body = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
        var accepted = body.Length > 0 ? OperationResource.Parse(body) : default;
        var location = HeaderUrl(response, IdempotencyHeaders.OperationLocation) ?? response.Headers.Location?.OriginalString ?? accepted.StatusUrl
            ?? throw new InvalidOperationException(
                $"The answer ({(int)response.StatusCode}) to {request.Method} {request.RequestUri} named no status URL (Operation-Location or Location).");

        var statusUrl = Resolve(new Uri(location, UriKind.RelativeOrAbsolute), response.RequestMessage?.RequestUri ?? request.RequestUri);
        var operation = new InboxOperation<TResult>(
            this, statusUrl, accepted.Id, request.GetIdempotencyKey(), response.IsIdempotentReplay(), accepted.Status);
        if (waitUntil == WaitUntil.Completed)
        {
            await operation.WaitForCompletionAsync(cancellationToken).ConfigureAwait(false);
        }

        return operation;
    }

    internal Uri Resolve(Uri url, Uri? against = null)
    {
        if (url.IsAbsoluteUri)
        {
            return url;
        }

        var root = against is { IsAbsoluteUri: true } ? against : HttpClient.BaseAddress;
        return root is null ? url : new Uri(root, url);
    }

    internal TimeSpan PollingDelay(RetryConditionHeaderValue? retryAfter)
    {
        var asked = retryAfter?.Delta
            ?? (retryAfter?.Date is { } date ? date - Options.TimeProvider.GetUtcNow() : Options.PollingInterval);
        return asked < Options.MinPollingInterval ? Options.MinPollingInterval
            : asked > Options.MaxPollingInterval ? Options.MaxPollingInterval
            : asked;
    }

    internal static async Task<InboxRequestFailedException> FailureAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var error = await ErrorBody.ReadAsync(response, cancellationToken).ConfigureAwait(false);
        var message = error.Message ?? $"The server answered {(int)response.StatusCode} {response.ReasonPhrase}.";
        return new InboxRequestFailedException(response.StatusCode, error.Code, message, error.RequestId);
    }

    private static string? HeaderUrl(HttpResponseMessage response, string name) =>
        response.Headers.NonValidated.TryGetValues(name, out var values) ? values.ToString() : null;
}
