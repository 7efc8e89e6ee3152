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

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        using var response = await _management.DeleteAsync($"api/vhosts/{Uri.EscapeDataString(Name)}");
        _management.Dispose();
    }
}
