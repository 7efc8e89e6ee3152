namespace Inbox.Operations;

/// <summary>Where an operation is in its life. Stored as a small integer: do not renumber.</summary>
public enum OperationStatus
{
    /// <summary>Stored and published (or waiting for the relay); no consumer has taken it yet.</summary>
    Accepted = 0,

    /// <summary>A consumer holds it (leased mode) and its effect is under way.</summary>
    Processing = 1,

    /// <summary>Terminal: the consumer finished and recorded its result.</summary>
    Succeeded = 2,

    /// <summary>Terminal unless redriven: retries were exhausted and the error is recorded.</summary>
    Failed = 3,
}

/// <summary>Helpers over <see cref="OperationStatus"/>.</summary>
public static class OperationStatusExtensions
{
    /// <summary>Whether the status is terminal (succeeded or failed).</summary>
    public static bool IsTerminal(this OperationStatus status) =>
        status is OperationStatus.Succeeded or OperationStatus.Failed;

    /// <summary>The lower-case wire name: <c>accepted</c>, <c>processing</c>, <c>succeeded</c>, <c>failed</c>.</summary>
    public static string ToWireName(this OperationStatus status) => status switch
    {
        OperationStatus.Accepted => "accepted",
        OperationStatus.Processing => "processing",
        OperationStatus.Succeeded => "succeeded",
        OperationStatus.Failed => "failed",
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, null),
    };
}
