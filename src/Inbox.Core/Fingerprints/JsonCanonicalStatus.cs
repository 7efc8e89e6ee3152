namespace Inbox.Fingerprints;

/// <summary>What <see cref="JsonCanonicalizer.Write(ReadOnlyMemory{byte}, System.Buffers.IBufferWriter{byte})"/> made of its input.</summary>
public enum JsonCanonicalStatus
{
    /// <summary>The canonical form was written.</summary>
    Written,

    /// <summary>The input is not a single valid JSON document; what was written is of no use.</summary>
    NotJson,

    /// <summary>
    /// An object names a member twice, compared ignoring case (ordinal): binders would read one value or the other, so
    /// no canonical form stands for the document. What was written is of no use.
    /// </summary>
    DuplicateMemberName,
}
