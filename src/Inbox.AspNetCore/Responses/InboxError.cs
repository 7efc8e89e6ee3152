using Inbox.Keys;

namespace Inbox.AspNetCore;

/// <summary>An error response: its status, stable code and a message for the client (never a stack trace).</summary>
/// <param name="StatusCode">The HTTP status code.</param>
/// <param name="Code">The stable error code (see <see cref="InboxErrorCodes"/>).</param>
/// <param name="Message">What went wrong and, where it helps, what to do.</param>
public sealed record InboxError(int StatusCode, string Code, string Message)
{
    /// <summary>
    /// A category written beside the code: <c>error.type</c> in the envelope, the problem's <c>type</c> in problem
    /// details. Default: <see langword="null"/> (none; problem details write <c>about:blank</c>).
    /// </summary>
    public string? Type { get; init; }

    /// <summary>
    /// For <see cref="InboxErrorCodes.InvalidIdempotencyKey"/>, the key rule the value broke (so that
    /// <see cref="IdempotencyPolicy.MapError"/> can word each rule its own way); <see cref="IdempotencyKeyError.None"/>
    /// for a header sent twice or two headers that disagree, and for every other error.
    /// </summary>
    public IdempotencyKeyError KeyRule { get; init; }
}
