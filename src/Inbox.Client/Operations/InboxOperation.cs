using System.Net.Http.Headers;
using System.Text.Json;
using Inbox.Client.Responses;

namespace Inbox.Client;

/// <summary>
/// An operation the server accepted, followed through its status URL (the shape of the Azure SDK's <c>Operation&lt;T&gt;</c>).
/// Keep <see cref="StatusUrl"/> (and <see cref="IdempotencyKey"/>) with your record to follow it again after a restart:
/// <c>new InboxOperation&lt;TResult&gt;(client, statusUrl)</c>. Not safe for use by several threads at once.
/// </summary>
/// <typeparam name="TResult">The type the operation's <c>result</c> is read into (<see cref="JsonElement"/> for raw JSON).</typeparam>
public sealed class InboxOperation<TResult>
{
    private readonly InboxClient _client;
    private TResult? _value;
    private InboxOperationFailedException? _failure;

    /// <summary>
    /// Rehydrates the operation at <paramref name="statusUrl"/> (absolute, or relative to the client's base address),
    /// e.g. after a process restart. Its status is read on the next <see cref="UpdateStatusAsync"/> or <see cref="WaitForCompletionAsync"/>.
    /// </summary>
    public InboxOperation(InboxClient client, Uri statusUrl, string? idempotencyKey = null)
        : this(client, statusUrl, id: null, idempotencyKey, wasReplayed: false, InboxOperationStatus.Accepted)
    {
    }

    internal InboxOperation(InboxClient client, Uri statusUrl, string? id, string? idempotencyKey, bool wasReplayed, InboxOperationStatus status)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(statusUrl);
        _client = client;
        StatusUrl = client.Resolve(statusUrl);
        Id = id ?? LastSegment(StatusUrl);
        IdempotencyKey = idempotencyKey;
        WasReplayed = wasReplayed;
        Status = status;
    }

    /// <summary>The operation id.</summary>
    public string Id { get; }

    /// <summary>The status URL the operation is polled at.</summary>
    public Uri StatusUrl { get; }

    /// <summary>The key the submission was sent with (<c>null</c> for a rehydrated operation given none).</summary>
    public string? IdempotencyKey { get; }

    /// <summary>Whether the submission's final answer was a replay (<c>Idempotent-Replayed: true</c>): an earlier send with the key was accepted first.</summary>
    public bool WasReplayed { get; }

    /// <summary>The status as last read.</summary>
    public InboxOperationStatus Status { get; private set; }

    /// <summary>Whether the operation has succeeded or failed.</summary>
    public bool HasCompleted => Status is InboxOperationStatus.Succeeded or InboxOperationStatus.Failed;

    /// <summary>Whether the operation has succeeded, so <see cref="Value"/> holds its result.</summary>
    public bool HasValue => Status == InboxOperationStatus.Succeeded;

    /// <summary>The result of the operation once it has succeeded.</summary>
    /// <exception cref="InvalidOperationException">The operation has not completed.</exception>
    /// <exception cref="InboxOperationFailedException">The operation failed.</exception>
    public TResult Value => Status switch
    {
        InboxOperationStatus.Succeeded => _value!,
        InboxOperationStatus.Failed => throw _failure!,
        _ => throw new InvalidOperationException($"Operation {Id} has not completed; it is {Status}. Await WaitForCompletionAsync first."),
    };

    /// <summary>Reads the status once and returns it.</summary>
    /// <exception cref="InboxRequestFailedException">The status endpoint refused (e.g. 404 <c>operation_not_found</c>).</exception>
    public async Task<InboxOperationStatus> UpdateStatusAsync(CancellationToken cancellationToken = default)
    {
        await PollAsync(cancellationToken).ConfigureAwait(false);
        return Status;
    }

    /// <summary>
    /// Polls the status URL until the operation has succeeded or failed, pausing as <c>Retry-After</c> asks (within
    /// <see cref="InboxClientOptions.MinPollingInterval"/> and <see cref="InboxClientOptions.MaxPollingInterval"/>), and returns its result.
    /// </summary>
    /// <exception cref="InboxOperationFailedException">The operation failed: its error code and message.</exception>
    /// <exception cref="InboxRequestFailedException">The status endpoint refused.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public async Task<TResult> WaitForCompletionAsync(CancellationToken cancellationToken = default)
    {
        while (!HasCompleted)
        {
            var retryAfter = await PollAsync(cancellationToken).ConfigureAwait(false);
            if (HasCompleted)
            {
                break;
            }

            await Task.Delay(_client.PollingDelay(retryAfter), _client.Options.TimeProvider, cancellationToken).ConfigureAwait(false);
        }

        return Value;
    }

    private async Task<RetryConditionHeaderValue?> PollAsync(CancellationToken cancellationToken)
    {
        using var response = await _client.HttpClient.GetAsync(StatusUrl, cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            throw await InboxClient.FailureAsync(response, cancellationToken).ConfigureAwait(false);
        }

        var body = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
        var resource = OperationResource.Parse(body);
        switch (resource.Status)
        {
            case InboxOperationStatus.Succeeded:
                _value = resource.Result.ValueKind == JsonValueKind.Undefined
                    ? default
                    : resource.Result.Deserialize<TResult>(_client.Options.SerializerOptions);
                break;
            case InboxOperationStatus.Failed:
                _failure = new InboxOperationFailedException(
                    Id, resource.ErrorCode ?? "unknown_error", resource.ErrorMessage ?? $"Operation {Id} failed.");
                break;
        }

        Status = resource.Status;
        return response.Headers.RetryAfter;
    }

    private static string LastSegment(Uri url)
    {
        var path = url.IsAbsoluteUri ? url.AbsolutePath : url.OriginalString.Split('?', '#')[0];
        return Uri.UnescapeDataString(path.TrimEnd('/').Split('/')[^1]);
    }
}
