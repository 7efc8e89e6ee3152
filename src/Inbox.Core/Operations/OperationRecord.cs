namespace Inbox.Operations;

/// <summary>An operation as the status endpoint shows it.</summary>
public sealed class OperationRecord
{
    /// <summary>The operation id.</summary>
    public required string Id { get; init; }

    /// <summary>The current status.</summary>
    public required OperationStatus Status { get; init; }

    /// <summary>When it was accepted.</summary>
    public required DateTimeOffset CreatedAt { get; init; }

    /// <summary>When its status last changed.</summary>
    public required DateTimeOffset UpdatedAt { get; init; }

    /// <summary>The consumer's result as JSON once succeeded; otherwise <see langword="null"/>.</summary>
    public string? ResultJson { get; init; }

    /// <summary>The error code once failed; otherwise <see langword="null"/>.</summary>
    public string? ErrorCode { get; init; }

    /// <summary>The error message once failed; otherwise <see langword="null"/>.</summary>
    public string? ErrorMessage { get; init; }
}
