namespace Inbox.Keys;

/// <summary>
/// Parses and validates an idempotency key value: 1 to 255 visible ASCII characters (0x21 to 0x7E).
/// The RFC 8941 quoted form (<c>"abc"</c>, with <c>\"</c> and <c>\\</c> escapes) is accepted and unquoted;
/// the limits apply to the unquoted value.
/// </summary>
public static class IdempotencyKey
{
    /// <summary>The longest key accepted, in characters.</summary>
    public const int MaxLength = 255;

    /// <summary>
    /// Parses <paramref name="value"/> as an idempotency key.
    /// </summary>
    /// <param name="value">The header value as received.</param>
    /// <param name="requireUuid">Whether the key must be a UUID (<c>xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx</c>).</param>
    /// <param name="key">The unquoted key when the value is valid; otherwise <see langword="null"/>.</param>
    /// <returns><see cref="IdempotencyKeyError.None"/> when the value is a valid key; otherwise the rule it breaks.</returns>
    public static IdempotencyKeyError Parse(string? value, bool requireUuid, out string? key)
    {
        key = null;
        if (string.IsNullOrEmpty(value))
        {
            return IdempotencyKeyError.Empty;
        }

        var unquoted = value;
        if (value[0] == '"')
        {
            var error = Unquote(value, out unquoted);
            if (error != IdempotencyKeyError.None)
            {
                return error;
            }
        }

        if (unquoted.Length == 0)
        {
            return IdempotencyKeyError.Empty;
        }

        if (unquoted.Length > MaxLength)
        {
            return IdempotencyKeyError.TooLong;
        }

        foreach (var c in unquoted)
        {
            if (c is < '\x21' or > '\x7E')
            {
                return IdempotencyKeyError.InvalidCharacter;
            }
        }

        if (requireUuid && !Guid.TryParseExact(unquoted, "D", out _))
        {
            return IdempotencyKeyError.NotUuid;
        }

        key = unquoted;
        return IdempotencyKeyError.None;
    }

    /// <summary>A message for a client that names the rule <paramref name="error"/> stands for.</summary>
    public static string Describe(this IdempotencyKeyError error, string headerName) => error switch
    {
        IdempotencyKeyError.None => $"The {headerName} header is valid.",
        IdempotencyKeyError.Empty => $"The {headerName} header must not be empty.",
        IdempotencyKeyError.TooLong => $"The {headerName} header must be at most {MaxLength} characters long.",
        IdempotencyKeyError.InvalidCharacter =>
            $"The {headerName} header may contain only visible ASCII characters (0x21 to 0x7E): no spaces, control or non-ASCII characters.",
        IdempotencyKeyError.UnterminatedQuotedString =>
            $"The {headerName} header starts a quoted string that does not end with a double quote.",
        IdempotencyKeyError.InvalidEscape =>
            $"The {headerName} header's quoted string may escape only a double quote or a backslash, and may not contain an unescaped double quote.",
        IdempotencyKeyError.NotUuid =>
            $"The {headerName} header must be a UUID such as 550e8400-e29b-41d4-a716-446655440000.",
        _ => throw new ArgumentOutOfRangeException(nameof(error), error, null),
    };

    private static IdempotencyKeyError Unquote(string value, out string unquoted)
    {
        unquoted = string.Empty;
        if (value.Length < 2 || value[^1] != '"')
        {
            return IdempotencyKeyError.UnterminatedQuotedString;
        }

        var inner = value.AsSpan(1, value.Length - 2);
        if (inner.IndexOfAny('"', '\\') < 0)
        {
            unquoted = inner.ToString();
            return IdempotencyKeyError.None;
        }

        var builder = new System.Text.StringBuilder(inner.Length);
        for (var i = 0; i < inner.Length; i++)
        {
            var c = inner[i];
            if (c == '"')
            {
                return IdempotencyKeyError.InvalidEscape;
            }

            if (c == '\\')
            {
                if (i + 1 >= inner.Length || inner[i + 1] is not ('"' or '\\'))
                {
                    return IdempotencyKeyError.InvalidEscape;
                }

                c = inner[++i];
            }

            builder.Append(c);
        }

        unquoted = builder.ToString();
        return IdempotencyKeyError.None;
    }
}
