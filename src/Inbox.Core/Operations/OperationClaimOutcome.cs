namespace Inbox.Operations;

/// <summary>What a synchronous request's claim found.</summary>
public enum OperationClaimOutcome
{
    /// <summary>This request holds the operation: run the handler, then complete or release the claim.</summary>
    Claimed,

    /// <summary>
    /// A live operation with this key has its response stored: replay it when the fingerprints match, else reject
    /// the key as reused with another body.
    /// </summary>
    Completed,

    /// <summary>
    /// A live operation with this key is unfinished and another request's lease on it holds (or it belongs to a
    /// request with another fingerprint): answer that the key is in use, or the mismatch.
    /// </summary>
    Held,
}
