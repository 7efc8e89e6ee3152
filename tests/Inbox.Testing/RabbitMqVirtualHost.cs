using System.Text.Json;

namespace Inbox.Testing;

/// <summary>A RabbitMQ virtual host that belongs to one test; deleted on dispose.</summary>
public sealed class RabbitMqVirtualHost : IAsyncDisposable
{
    private readonly HttpClient _management;

    internal RabbitMqVirtualHost(string name, Uri amqpUri, HttpClient management)
    {
        Name = name;
        AmqpUri = amqpUri;
        _management = management;
    }

    /// <summary>The virtual host name.</summary>
    public string Name { get; }

    /// <summary>An AMQP URI (with credentials) whose path selects this virtual host.</summary>
    public Uri AmqpUri { get; }

    /// <summary>
    /// The node that leads each quorum queue of this virtual host (<c>rabbit@host</c> names), from the management API;
    /// queues of other types are left out.
    /// </summary>
    public async Task<IReadOnlyDictionary<string, string>> QuorumQueueLeadersAsync(CancellationToken cancellationToken = default)
    {
        using var response = await _management.GetAsync($"api/queues/{Uri.EscapeDataString(Name)}?columns=name,type,leader", cancellationToken);
        await RabbitMqServer.EnsureSuccessAsync(response, "list the queues", cancellationToken);
        using var queues = JsonDocument.Parse(await response.Content.ReadAsStringAsync(cancellationToken));
        return queues.RootElement.EnumerateArray()
            .Where(queue => queue.TryGetProperty("type", out var type) && type.GetString() == "quorum" && queue.TryGetProperty("leader", out _))
            .ToDictionary(queue => queue.GetProperty("name").GetString()!, queue => queue.GetProperty("leader").GetString()!, StringComparer.Ordinal);
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        using var response = await _management.DeleteAsync($"api/vhosts/{Uri.EscapeDataString(Name)}");
        _management.Dispose();
    }
}
