using Inbox.Operations;

namespace Inbox.EntityFrameworkCore.Model;

/// <summary>
/// An operation row: the idempotency record of an accepted request and its outbox entry. Lives in the
/// application's own <c>DbContext</c> (see <c>ModelBuilder.AddInbox</c>).
/// </summary>
public sealed class InboxOperation
{
    /// <summary>The operation id (<c>op_</c> and 26 random characters).</summary>
    public string Id { get; set; } = string.Empty;

    /// <summary>The tenant of the key's scope.</summary>
    public string TenantId { get; set; } = string.Empty;

    /// <summary>The endpoint (method and route pattern) of the key's scope.</summary>
    public string Endpoint { get; set; } = string.Empty;

    /// <summary>The idempotency key, or <see langword="null"/> for a request sent without one.</summary>
    public string? IdempotencyKey { get; set; }

    /// <summary>The SHA-256 request fingerprint.</summary>
    public byte[] Fingerprint { get; set; } = [];

    /// <summary>The current status.</summary>
    public OperationStatus Status { get; set; }

    /// <summary>The request id of the accepting request.</summary>
    public string RequestId { get; set; } = string.Empty;

    /// <summary>The stored acceptance's HTTP status code.</summary>
    public int ResponseStatus { get; set; }

    /// <summary>The stored acceptance's allow-listed headers, as a JSON object.</summary>
    public string ResponseHeaders { get; set; } = "{}";

    /// <summary>The stored acceptance's body.</summary>
    public byte[] ResponseBody { get; set; } = [];

    /// <summary>The message type to publish.</summary>
    public string MessageType { get; set; } = string.Empty;

    /// <summary>The message as JSON, for the relay.</summary>
    public byte[] MessageBody { get; set; } = [];

    /// <summary>The consumer's result as JSON once succeeded.</summary>
    public string? Result { get; set; }

    /// <summary>The error code once failed.</summary>
    public string? ErrorCode { get; set; }

    /// <summary>The error message once failed.</summary>
    public string? ErrorMessage { get; set; }

    /// <summary>When it was accepted.</summary>
    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>When its status last changed.</summary>
    public DateTimeOffset UpdatedAt { get; set; }

    /// <summary>When the key expires and the sweeper may delete the row.</summary>
    public DateTimeOffset ExpiresAt { get; set; }

    /// <summary>When the relay publishes it again if it is still accepted.</summary>
    public DateTimeOffset RelayAt { get; set; }

    /// <summary>
    /// How many times the relay has claimed it to publish it again; each claim doubles the wait before the next one,
    /// up to <see cref="Background.InboxStoreOptions.RelayMaxDelay"/>.
    /// </summary>
    public int RelayAttempts { get; set; }

    /// <summary>
    /// The claim token of the synchronous request that holds the operation while its handler runs;
    /// <see langword="null"/> once its response is stored, and for accepted operations.
    /// </summary>
    public string? LeaseToken { get; set; }

    /// <summary>Until when that request's lease holds; after it, a retry with the same key takes the operation over.</summary>
    public DateTimeOffset? LeaseExpiresAt { get; set; }
}
