namespace Inbox.Operating;

/// <summary>One operation as the console shows it, with its consumers' inbox entries.</summary>
public sealed record OperationDetail
{
    /// <summary>What the list shows of it.</summary>
    public required OperationSummary Summary { get; init; }

    /// <summary>The request id of the accepting request.</summary>
    public required string RequestId { get; init; }

    /// <summary>The message type the relay publishes.</summary>
    public required string MessageType { get; init; }

    /// <summary>The stored acceptance's (or response's) HTTP status code.</summary>
    public required int ResponseStatus { get; init; }

    /// <summary>The error message once failed; otherwise <see langword="null"/>.</summary>
    public string? ErrorMessage { get; init; }

    /// <summary>When the key expires and the sweeper may delete the operation.</summary>
    public required DateTimeOffset ExpiresAt { get; init; }

    /// <summary>How many times the relay has claimed it to publish it again.</summary>
    public required int RelayAttempts { get; init; }

    /// <summary>Each consumer's inbox entry for its message, by consumer name.</summary>
    public required IReadOnlyList<InboxEntryDetail> InboxEntries { get; init; }

    /// <summary>The stored response body; <see langword="null"/> unless bodies were asked for. It may hold personal data.</summary>
    public ReadOnlyMemory<byte>? ResponseBody { get; init; }

    /// <summary>The message as JSON; <see langword="null"/> unless bodies were asked for. It may hold personal data.</summary>
    public ReadOnlyMemory<byte>? MessageBody { get; init; }

    /// <summary>The consumer's result as JSON; <see langword="null"/> unless bodies were asked for or while it has none.</summary>
    public string? ResultJson { get; init; }
}
