using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace Inbox.Fingerprints;

/// <summary>
/// The SHA-256 fingerprint of a request: its method, its route pattern, its route values, its query and its body. A
/// JSON body is hashed in canonical form (object keys sorted, insignificant whitespace ignored), so a retry that
/// reorders keys or reformats the document has the same fingerprint; any other body is hashed as bytes.
/// </summary>
public static class RequestFingerprint
{
    /// <summary>The length of a fingerprint in bytes.</summary>
    public const int Length = 32;

    private static readonly byte[] JsonMarker = "json\n"u8.ToArray();
    private static readonly byte[] BytesMarker = "bytes\n"u8.ToArray();
    private static readonly byte[] RouteValuesMarker = "route\n"u8.ToArray();
    private static readonly byte[] QueryMarker = "query\n"u8.ToArray();

    /// <summary>Computes the fingerprint of a request without route values or query.</summary>
    /// <param name="method">The HTTP method, e.g. <c>POST</c>.</param>
    /// <param name="routePattern">The endpoint's route pattern, e.g. <c>/v1/claims</c>.</param>
    /// <param name="body">The request body.</param>
    /// <param name="isJson">Whether the body was declared as JSON; a body that does not parse is hashed as bytes.</param>
    /// <exception cref="DuplicateJsonMemberException">The JSON body names a member twice in one object.</exception>
    public static byte[] Compute(string method, string routePattern, ReadOnlyMemory<byte> body, bool isJson) =>
        Compute(method, routePattern, [], [], body, isJson);

    /// <summary>Computes the fingerprint of a request.</summary>
    /// <param name="method">The HTTP method, e.g. <c>POST</c>.</param>
    /// <param name="routePattern">The endpoint's route pattern, e.g. <c>/v1/accounts/{account}/payments</c>.</param>
    /// <param name="routeValues">
    /// The values of the pattern's parameters by name (<see langword="null"/> for an optional one that is absent), in
    /// any order. Values compare ordinally: <c>A</c> and <c>a</c> are other requests.
    /// </param>
    /// <param name="query">
    /// The query's (name, value) pairs, decoded, as the application's binder reads them: names that the binder
    /// treats as one name spelled one way. Pairs under distinct names may come in any order; the values of one name
    /// keep their order.
    /// </param>
    /// <param name="body">The request body.</param>
    /// <param name="isJson">Whether the body was declared as JSON; a body that does not parse is hashed as bytes.</param>
    /// <exception cref="DuplicateJsonMemberException">The JSON body names a member twice in one object.</exception>
    public static byte[] Compute(
        string method,
        string routePattern,
        IReadOnlyList<KeyValuePair<string, string?>> routeValues,
        IReadOnlyList<KeyValuePair<string, string?>> query,
        ReadOnlyMemory<byte> body,
        bool isJson)
    {
        ArgumentNullException.ThrowIfNull(routeValues);
        ArgumentNullException.ThrowIfNull(query);
        var sortedRouteValues = SortedByName(routeValues);
        var sortedQuery = SortedByName(query);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        AppendTarget(hash, method, routePattern, sortedRouteValues, sortedQuery);

        if (isJson)
        {
            // The canonical form is hashed as it is written; a body that is not JSON after all starts over as bytes.
            hash.AppendData(JsonMarker);
            JsonCanonicalStatus status;
            using (var canonical = new HashingBufferWriter(hash))
            {
                status = JsonCanonicalizer.Write(body, canonical);
            }

            switch (status)
            {
                case JsonCanonicalStatus.Written:
                    return hash.GetHashAndReset();
                case JsonCanonicalStatus.DuplicateMemberName:
                    throw new DuplicateJsonMemberException();
            }

            hash.GetHashAndReset();
            AppendTarget(hash, method, routePattern, sortedRouteValues, sortedQuery);
        }

        hash.AppendData(BytesMarker);
        hash.AppendData(body.Span);
        return hash.GetHashAndReset();
    }

    // Without route values and query this hashes exactly what fingerprints did before they were added, so stored
    // operations of endpoints without either keep matching their retries. Each section opens with a marker that no
    // other section (nor the body markers) begins with, and counts and lengths frame its entries, so no two targets
    // hash the same bytes.
    private static void AppendTarget(
        IncrementalHash hash,
        string method,
        string routePattern,
        KeyValuePair<string, string?>[] routeValues,
        KeyValuePair<string, string?>[] query)
    {
        AppendText(hash, method);
        AppendText(hash, routePattern);
        AppendSection(hash, RouteValuesMarker, routeValues);
        AppendSection(hash, QueryMarker, query);
    }

    private static void AppendSection(IncrementalHash hash, byte[] marker, KeyValuePair<string, string?>[] entries)
    {
        if (entries.Length == 0)
        {
            return;
        }

        hash.AppendData(marker);
        AppendLength(hash, entries.Length);
        foreach (var (name, value) in entries)
        {
            AppendFramed(hash, name);
            AppendFramed(hash, value);
        }
    }

    // OrderBy is stable: the values of one name keep their order (a binder reads ?tag=1&tag=2 as [1, 2]).
    private static KeyValuePair<string, string?>[] SortedByName(IReadOnlyList<KeyValuePair<string, string?>> entries) =>
        entries.Count switch
        {
            0 => [],
            1 => [entries[0]],
            _ => [.. entries.OrderBy(static entry => entry.Key, StringComparer.Ordinal)],
        };

    private static void AppendFramed(IncrementalHash hash, string? text)
    {
        if (text is null)
        {
            AppendLength(hash, -1);
            return;
        }

        var bytes = Encoding.UTF8.GetBytes(text);
        AppendLength(hash, bytes.Length);
        hash.AppendData(bytes);
    }

    private static void AppendLength(IncrementalHash hash, int length)
    {
        Span<byte> buffer = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(buffer, length);
        hash.AppendData(buffer);
    }

    private static void AppendText(IncrementalHash hash, string text)
    {
        Span<byte> buffer = stackalloc byte[256];
        var bytes = Encoding.UTF8.GetMaxByteCount(text.Length) <= buffer.Length
            ? buffer[..Encoding.UTF8.GetBytes(text, buffer)]
            : Encoding.UTF8.GetBytes(text);
        hash.AppendData(bytes);
        hash.AppendData("\n"u8);
    }
}
