using Inbox.Operations;

namespace Inbox.Operating;

/// <summary>One consumer's inbox entry for an operation's message.</summary>
public sealed record InboxEntryDetail
{
    /// <summary>The consumer's inbox name.</summary>
    public required string Consumer { get; init; }

    /// <summary>Processing (leased, effect under way), succeeded or failed.</summary>
    public required OperationStatus Status { get; init; }

    /// <summary>How many deliveries have claimed the entry.</summary>
    public required int Attempt { get; init; }

    /// <summary>Until when the claiming delivery holds the entry (leased mode); otherwise <see langword="null"/>.</summary>
    public DateTimeOffset? LeaseExpiresAt { get; init; }

    /// <summary>The error code once failed; otherwise <see langword="null"/>.</summary>
    public string? ErrorCode { get; init; }

    /// <summary>The error message once failed; otherwise <see langword="null"/>.</summary>
    public string? ErrorMessage { get; init; }

    /// <summary>When the entry was first claimed.</summary>
    public required DateTimeOffset CreatedAt { get; init; }

    /// <summary>When the entry last changed.</summary>
    public required DateTimeOffset UpdatedAt { get; init; }
}
