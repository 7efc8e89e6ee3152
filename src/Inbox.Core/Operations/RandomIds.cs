using System.Security.Cryptography;

namespace Inbox.Operations;

/// <summary>
/// Unguessable identifiers: a prefix and 128 random bits from the system's cryptographic generator in
/// lower-case Crockford base32 (26 characters).
/// </summary>
public static class RandomIds
{
    /// <summary>The prefix of operation ids.</summary>
    public const string OperationPrefix = "op_";

    /// <summary>The prefix of request ids.</summary>
    public const string RequestPrefix = "req_";

    /// <summary>The length of an operation id.</summary>
    public const int OperationIdLength = 29;

    private const string Alphabet = "0123456789abcdefghjkmnpqrstvwxyz";

    /// <summary>A new operation id, <c>op_</c> followed by 26 characters.</summary>
    public static string NewOperationId() => New(OperationPrefix);

    /// <summary>A new request id, <c>req_</c> followed by 26 characters.</summary>
    public static string NewRequestId() => New(RequestPrefix);

    /// <summary>Whether <paramref name="value"/> has the shape of an operation id (it may still not exist).</summary>
    public static bool IsOperationId(ReadOnlySpan<char> value)
    {
        if (value.Length != OperationIdLength || !value.StartsWith(OperationPrefix, StringComparison.Ordinal))
        {
            return false;
        }

        foreach (var c in value[OperationPrefix.Length..])
        {
            if (Alphabet.IndexOf(c, StringComparison.Ordinal) < 0)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// A deterministic id: <paramref name="prefix"/> and 26 characters from the first 128 bits of the SHA-256 of
    /// <paramref name="seed"/>. The same seed always gives the same id.
    /// </summary>
    public static string Derive(string prefix, string seed)
    {
        ArgumentNullException.ThrowIfNull(prefix);
        ArgumentNullException.ThrowIfNull(seed);
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(seed), hash);
        return Encode(prefix, hash[..16]);
    }

    /// <summary>A new unguessable id: <paramref name="prefix"/> followed by 26 characters.</summary>
    public static string New(string prefix)
    {
        ArgumentNullException.ThrowIfNull(prefix);
        Span<byte> random = stackalloc byte[16];
        RandomNumberGenerator.Fill(random);
        return Encode(prefix, random);
    }

    private static string Encode(string prefix, ReadOnlySpan<byte> random)
    {
        return string.Create(prefix.Length + 26, (prefix, Bits: new UInt128(
            BitConverter.ToUInt64(random[..8]), BitConverter.ToUInt64(random[8..]))), static (span, state) =>
        {
            state.prefix.AsSpan().CopyTo(span);
            var bits = state.Bits;
            for (var i = span.Length - 1; i >= state.prefix.Length; i--)
            {
                span[i] = Alphabet[(int)(bits & 31)];
                bits >>= 5;
            }
        });
    }
}
