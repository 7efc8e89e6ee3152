using System.Text.Json;
using Inbox.Operations;

namespace Inbox.MassTransit.Consuming;

/// <summary>The inbox's view of one delivery, carried as a payload for the consumer's API.</summary>
internal sealed class InboxConsumeState(
    string consumer,
    InboxMessageIdentity identity,
    InboxMode mode,
    int attempt,
    bool isTakeover,
    JsonSerializerOptions resultOptions)
{
    public string Consumer { get; } = consumer;

    public InboxMessageIdentity Identity { get; } = identity;

    public InboxMode Mode { get; } = mode;

    public int Attempt { get; } = attempt;

    public bool IsTakeover { get; } = isTakeover;

    public string? ResultJson { get; private set; }

    public void SetResult<T>(T result) => ResultJson = JsonSerializer.Serialize(result, resultOptions);

    public string DownstreamKey(string effect) =>
        RandomIds.Derive("dk_", $"{Consumer}\n{Identity.MessageKey}\n{effect}");
}
