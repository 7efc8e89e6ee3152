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
    /// Returns the key (or <see langword="null"/> when none was sent) or the error that rejects the request, with the
    /// key rule it broke (<see cref="IdempotencyKeyError.None"/> for a repeated header or two that disagree).
    /// </summary>
    public static (string? Key, string? Error, IdempotencyKeyError Rule) Read(IHeaderDictionary headers, IdempotencyOptions options, IdempotencyPolicy policy)
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
            return (null, $"The {options.HeaderName} and {options.AlternateHeaderName} headers carry different values; send one key.", IdempotencyKeyError.None);
        }

        return (primary.Key ?? alternate.Key, null, IdempotencyKeyError.None);
    }

    private static (string? Key, string? Error, IdempotencyKeyError Rule) ReadOne(IHeaderDictionary headers, string name, IdempotencyPolicy policy)
    {
        if (!headers.TryGetValue(name, out var values))
        {
            return (null, null, IdempotencyKeyError.None);
        }

        if (values.Count == 0)
        {
            return (null, IdempotencyKeyError.Empty.Describe(name), IdempotencyKeyError.Empty);
        }

        if (values.Count > 1)
        {
            return (null, $"The {name} header must be sent once; it was sent {values.Count} times.", IdempotencyKeyError.None);
        }

        var error = IdempotencyKey.Parse(values[0], policy.RequireUuid, out var key);
        return error == IdempotencyKeyError.None ? (key, null, error) : (null, error.Describe(name), error);
    }
}
