namespace Inbox.Chaos;

/// <summary>
/// One request of the load, as the client saw it: when it was sent and when it ended (on <see cref="LoadClient.Clock"/>),
/// the HTTP status (<see cref="TransportError"/> for a request that failed without one, <see cref="GivenUp"/> for a
/// response the client chose to lose), and for a 202 the operation it acknowledged.
/// </summary>
internal sealed record Answer(TimeSpan Sent, TimeSpan Ended, int Status, string? OperationId)
{
    public const int TransportError = 0;

    public const int GivenUp = -1;
}
