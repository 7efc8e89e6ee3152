namespace Inbox.AspNetCore;

/// <summary>An error response: its status, stable code and a message for the client (never a stack trace).</summary>
/// <param name="StatusCode">The HTTP status code.</param>
/// <param name="Code">The stable error code (see <see cref="InboxErrorCodes"/>).</param>
/// <param name="Message">What went wrong and, where it helps, what to do.</param>
public sealed record InboxError(int StatusCode, string Code, string Message);
