using System.Security.Cryptography;
using System.Text;

namespace Inbox.Fingerprints;

/// <summary>
/// The SHA-256 fingerprint of a request: its method, its route pattern and its body. A JSON body is hashed
/// in canonical form (object keys sorted, insignificant whitespace ignored), so a retry that reorders keys or
/// reformats the document has the same fingerprint; any other body is hashed as bytes.
/// </summary>
public static class RequestFingerprint
{
    /// <summary>The length of a fingerprint in bytes.</summary>
    public const int Length = 32;

    private static readonly byte[] JsonMarker = "json\n"u8.ToArray();
    private static readonly byte[] BytesMarker = "bytes\n"u8.ToArray();

    /// <summary>Computes the fingerprint of a request.</summary>
    /// <param name="method">The HTTP method, e.g. <c>POST</c>.</param>
    /// <param name="routePattern">The endpoint's route pattern, e.g. <c>/v1/claims</c>.</param>
    /// <param name="body">The request body.</param>
    /// <param name="isJson">Whether the body was declared as JSON; a body that does not parse is hashed as bytes.</param>
    public static byte[] Compute(string method, string routePattern, ReadOnlyMemory<byte> body, bool isJson)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        AppendText(hash, method);
        AppendText(hash, routePattern);

        if (isJson)
        {
            // The canonical form is hashed as it is written; a body that is not JSON after all starts over as bytes.
            hash.AppendData(JsonMarker);
            using (var canonical = new HashingBufferWriter(hash))
            {
                if (JsonCanonicalizer.TryWrite(body, canonical))
                {
                    return hash.GetHashAndReset();
                }
            }

            hash.GetHashAndReset();
            AppendText(hash, method);
            AppendText(hash, routePattern);
        }

        hash.AppendData(BytesMarker);
        hash.AppendData(body.Span);
        return hash.GetHashAndReset();
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
