namespace Inbox.AspNetCore.Operating;

/// <summary>What a console route answers: a 200 with <see cref="Body"/>, or <see cref="Error"/>.</summary>
internal sealed record ConsoleAnswer(byte[]? Body, InboxError? Error)
{
    public static ConsoleAnswer Ok(byte[] body) => new(body, Error: null);

    public static ConsoleAnswer Refused(InboxError error) => new(Body: null, error);
}
