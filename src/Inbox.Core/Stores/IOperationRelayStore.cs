using Inbox.Publishing;

namespace Inbox.Stores;

/// <summary>Finds operations that were accepted but not yet taken by a consumer, for the relay.</summary>
public interface IOperationRelayStore
{
    /// <summary>
    /// Claims up to <paramref name="batchSize"/> operations still <c>accepted</c> (or <c>processing</c> by a consumer
    /// that went away) whose relay time is at or before <paramref name="now"/>. Each claim adds one to the
    /// operation's relay attempts and moves its relay time to <paramref name="now"/> plus
    /// <see cref="RelayBackoff.DelayAfter"/> of the new count, so another relay instance skips it and an operation
    /// no consumer takes is republished ever more rarely. Rows locked by another instance are skipped, not waited for.
    /// </summary>
    /// <returns>The claimed operations with their new attempt counts, ready to publish again; empty when none is due.</returns>
    ValueTask<IReadOnlyList<StoredPublication>> ClaimDueAsync(
        DateTimeOffset now, RelayBackoff backoff, int batchSize, CancellationToken cancellationToken);
}
