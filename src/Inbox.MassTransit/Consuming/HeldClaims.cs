using System.Collections.Concurrent;

namespace Inbox.MassTransit.Consuming;

/// <summary>
/// The lease each consumer's delivery of a message last held, shared across its retries: the failure filter, outside
/// the retry, adds it, and each leased claim records its token there under the consumer's inbox name (every consumer
/// of the message on the endpoint sees the same payload). Recording a failure then ends only that consumer's own
/// claim, never one another delivery took over since.
/// </summary>
internal sealed class HeldClaims
{
    private readonly ConcurrentDictionary<string, string> _tokens = new(StringComparer.Ordinal);

    /// <summary>Records the token of <paramref name="consumer"/>'s latest leased claim.</summary>
    public void Held(string consumer, string claimToken) => _tokens[consumer] = claimToken;

    /// <summary>The token of <paramref name="consumer"/>'s latest leased claim; <see langword="null"/> when it held none.</summary>
    public string? TokenOf(string consumer) => _tokens.GetValueOrDefault(consumer);
}
