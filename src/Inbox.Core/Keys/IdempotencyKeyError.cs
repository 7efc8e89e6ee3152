namespace Inbox.Keys;

/// <summary>The rule an idempotency key value breaks.</summary>
public enum IdempotencyKeyError
{
    /// <summary>The value is a valid key.</summary>
    None,

    /// <summary>The value (or its unquoted form) is empty.</summary>
    Empty,

    /// <summary>The unquoted value is longer than <see cref="IdempotencyKey.MaxLength"/> characters.</summary>
    TooLong,

    /// <summary>The unquoted value holds a character outside 0x21 to 0x7E.</summary>
    InvalidCharacter,

    /// <summary>The value opens a quoted string that it does not close.</summary>
    UnterminatedQuotedString,

    /// <summary>The quoted string holds an escape other than <c>\"</c> or <c>\\</c>, or a bare double quote.</summary>
    InvalidEscape,

    /// <summary>The policy requires a UUID and the value is not one.</summary>
    NotUuid,
}
