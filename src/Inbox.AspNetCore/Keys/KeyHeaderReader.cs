using Inbox.Keys;
using Microsoft.AspNetCore.Http;

namespace Inbox.AspNetCore.Keys;

/// <summary>
/// Reads the key from the request headers: both names stand for one key; a repeated header or two names with
/// different values are rejected.
/// </summary>
internal static class KeyHeaderReader
{
    /// <summary>
    /// Returns the key (or <see langword="null"/> when none was sent) or the error that rejects the request.
    /// </summary>
    public static (string? Key, string? Error) Read(IHeaderDictionary headers, IdempotencyOptions options, IdempotencyPolicy policy)
    {
        var primary = ReadOne(headers, options.HeaderName, policy);
        if (primary.Error is not null)
        {
            return primary;
        }

        if (options.AlternateHeaderName is null)
        {
            return primary;
        }

        var alternate = ReadOne(headers, options.AlternateHeaderName, policy);
        if (alternate.Error is not null)
        {
            return alternate;
        }

        if (primary.Key is not null && alternate.Key is not null && !string.Equals(primary.Key, alternate.Key, StringComparison.Ordinal))
        {
            return (null, $"The {options.HeaderName} and {options.AlternateHeaderName} headers carry different values; send one key.");
        }

        return (primary.Key ?? alternate.Key, null);
    }

    private static (string? Key, string? Error) ReadOne(IHeaderDictionary headers, string name, IdempotencyPolicy policy)
    {
        if (!headers.TryGetValue(name, out var values))
        {
            return (null, null);
        }

        if (values.Count == 0)
        {
            return (null, IdempotencyKeyError.Empty.Describe(name));
        }

        if (values.Count > 1)
        {
            return (null, $"The {name} header must be sent once; it was sent {values.Count} times.");
        }

        var error = IdempotencyKey.Parse(values[0], policy.RequireUuid, out var key);
        return error == IdempotencyKeyError.None ? (key, null) : (null, error.Describe(name));
    }
}
