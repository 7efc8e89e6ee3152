namespace Inbox.Chaos;

/// <summary>
/// One request of the load, as the client saw it: when it was sent and when it ended (on <see cref="LoadClient.Clock"/>),
/// the HTTP status (<see cref="NoResponse"/> for a transport error or a response the client gave up on), and for a
/// 202 the operation it acknowledged.
/// </summary>
internal sealed record Answer(TimeSpan Sent, TimeSpan Ended, int Status, string? OperationId)
{
    public const int NoResponse = 0;
}
