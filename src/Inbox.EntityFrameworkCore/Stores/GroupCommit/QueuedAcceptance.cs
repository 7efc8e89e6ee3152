using Inbox.EntityFrameworkCore.Sql;
using Inbox.Operations;

namespace Inbox.EntityFrameworkCore.Stores.GroupCommit;

/// <summary>
/// One acceptance waiting for its batch: its outcome, or <see langword="null"/> when the batch could not decide it and
/// the acceptance takes the per-request path (an expired row to replace, a key committed by another transaction
/// after the batch's statement began, a batch that waited too long).
/// </summary>
internal sealed class QueuedAcceptance(NewOperation operation, AcceptanceValues values, TimeSpan maxWait)
{
    public NewOperation Operation { get; } = operation;

    public AcceptanceValues Values { get; } = values;

    public TimeSpan MaxWait { get; } = maxWait;

    public TaskCompletionSource<AcceptOutcome?> Outcome { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>The scope and key that a later acceptance with the same key waits on; null without a key.</summary>
    public (string Tenant, string Endpoint, string Key)? Key { get; } =
        values.IdempotencyKey is { } key ? (values.Tenant, values.Endpoint, key) : null;
}
