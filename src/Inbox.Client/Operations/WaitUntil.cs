namespace Inbox.Client;

/// <summary>How long <see cref="InboxClient.SubmitAsync{TResult}(WaitUntil, HttpRequestMessage, CancellationToken)"/> waits (the Azure SDK's <c>WaitUntil</c>).</summary>
public enum WaitUntil
{
    /// <summary>Until the server has accepted the operation (its <c>202</c>).</summary>
    Started,

    /// <summary>Until the operation has succeeded or failed, polling its status URL.</summary>
    Completed,
}
