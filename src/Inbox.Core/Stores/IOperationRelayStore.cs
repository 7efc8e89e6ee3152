using Inbox.Publishing;

namespace Inbox.Stores;

/// <summary>Finds operations that were accepted but not yet taken by a consumer, for the relay.</summary>
public interface IOperationRelayStore
{
    /// <summary>
    /// Claims up to <paramref name="batchSize"/> operations still <c>accepted</c> (or <c>processing</c> by a consumer
    /// that went away) whose relay time is at or before <paramref name="now"/>, moving their relay time to <paramref name="nextRelayAt"/> so another relay
    /// instance skips them. Rows locked by another instance are skipped, not waited for.
    /// </summary>
    /// <returns>The claimed operations, ready to publish again; empty when none is due.</returns>
    ValueTask<IReadOnlyList<StoredPublication>> ClaimDueAsync(
        DateTimeOffset now, DateTimeOffset nextRelayAt, int batchSize, CancellationToken cancellationToken);
}
