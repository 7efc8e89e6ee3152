namespace Inbox.Operations;

/// <summary>The acceptance response as first sent, replayed byte for byte on a retry with the same key.</summary>
/// <param name="StatusCode">The HTTP status code (202).</param>
/// <param name="Headers">The allow-listed headers, by name.</param>
/// <param name="Body">The body bytes.</param>
public sealed record StoredResponse(int StatusCode, IReadOnlyList<KeyValuePair<string, string>> Headers, ReadOnlyMemory<byte> Body);
