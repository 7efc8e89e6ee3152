namespace Inbox.Fingerprints;

/// <summary>
/// A JSON request body names a member twice in one object, compared ignoring case (<c>{"Amount":1,"amount":2}</c>).
/// A case-insensitive binder reads one of the values and the fingerprint cannot know which, so such a body is refused
/// (the HTTP side answers <c>400 duplicate_json_member</c> and stores nothing).
/// </summary>
public sealed class DuplicateJsonMemberException : FormatException
{
    /// <summary>Creates the exception with its standard message.</summary>
    public DuplicateJsonMemberException()
        : base("The JSON body names a member more than once in one object (names are compared ignoring case).")
    {
    }
}
