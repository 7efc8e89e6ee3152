using Inbox.Operations;

namespace Inbox.EntityFrameworkCore.Model;

/// <summary>
/// A consumer's inbox entry for one message: the claim that makes a consumer run a message once, its lease
/// (leased mode), and the recorded outcome. Keyed by consumer and deduplication key.
/// </summary>
public sealed class InboxEntry
{
    /// <summary>The consumer's inbox name.</summary>
    public string Consumer { get; set; } = string.Empty;

    /// <summary>The deduplication key: <c>op:</c> and the operation id, else <c>key:</c> and a hash of scope and key, else <c>msg:</c> and the message id.</summary>
    public string MessageKey { get; set; } = string.Empty;

    /// <summary><see cref="OperationStatus.Processing"/> (leased, effect under way), <see cref="OperationStatus.Succeeded"/> or <see cref="OperationStatus.Failed"/>.</summary>
    public OperationStatus Status { get; set; }

    /// <summary>The operation the message belongs to, if it came through the HTTP side.</summary>
    public string? OperationId { get; set; }

    /// <summary>The token of the delivery that holds the claim.</summary>
    public string ClaimToken { get; set; } = string.Empty;

    /// <summary>How many deliveries have claimed the entry.</summary>
    public int Attempt { get; set; }

    /// <summary>How the last claim was made: 0 fresh, 1 a failed entry run again, 2 an expired lease taken over.</summary>
    public int ClaimKind { get; set; }

    /// <summary>Until when the claiming delivery holds the entry (leased mode).</summary>
    public DateTimeOffset? LeaseExpiresAt { get; set; }

    /// <summary>The consumer's result as JSON.</summary>
    public string? Result { get; set; }

    /// <summary>The error code once failed.</summary>
    public string? ErrorCode { get; set; }

    /// <summary>The error message once failed.</summary>
    public string? ErrorMessage { get; set; }

    /// <summary>When the entry was first claimed.</summary>
    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>When the entry last changed.</summary>
    public DateTimeOffset UpdatedAt { get; set; }

    /// <summary>When the sweeper may delete the entry: after the operation's expiry plus a grace.</summary>
    public DateTimeOffset ExpiresAt { get; set; }
}
