using Inbox.Publishing;

namespace Inbox.Operating;

/// <summary>What a release of expired leases did.</summary>
/// <param name="SynchronousOperations">
/// How many synchronous requests' operations had their expired lease cleared, so the same request's retry takes them
/// over at once.
/// </param>
/// <param name="Republish">
/// The unfinished operations whose consumer's inbox entry held an expired lease, now due for publishing: publish them
/// now so a delivery takes those entries over.
/// </param>
public sealed record ReleasedLeases(int SynchronousOperations, IReadOnlyList<StoredPublication> Republish)
{
    /// <summary>How many leases were released: the synchronous operations' and the consumers' operations republished.</summary>
    public int Released => SynchronousOperations + Republish.Count;
}
