using System.Globalization;

namespace Inbox.Testing;

/// <summary>
/// The three-node RabbitMQ cluster of <c>eng/cluster.sh</c>, reached through the AMQP URIs in <see cref="Variable"/>
/// (one per node, separated by commas). Node N answers AMQP on 5672+N and its management API on 15672+N.
/// </summary>
public static class RabbitMqCluster
{
    /// <summary>The nodes' AMQP URIs of an administrator, separated by commas.</summary>
    public const string Variable = "INBOX_TEST_RABBITMQ_CLUSTER";

    /// <summary>The AMQP URI of each node; throws, saying how to get them, where the variable is not set.</summary>
    public static IReadOnlyList<Uri> Nodes => (TestEnvironment.Get(Variable)
            ?? throw new InvalidOperationException($"{Variable} is not set: run `bash eng/cluster.sh start rabbitmq` (root); `bash eng/cluster.sh urls` prints it."))
        .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
        .Select(node => new Uri(node))
        .ToArray();

    /// <summary>A virtual host of its own on the cluster (created through the first node's management API); disposing it deletes it.</summary>
    public static Task<RabbitMqVirtualHost> CreateVirtualHostAsync(CancellationToken cancellationToken = default)
    {
        var first = Nodes[0];
        return RabbitMqServer.CreateVirtualHostAsync(first, new UriBuilder("http", first.Host, first.Port + 10_000).Uri, cancellationToken);
    }

    /// <summary>Every node's AMQP URI with the path of <paramref name="virtualHost"/>: a comma-separated value for <c>ConnectionStrings:RabbitMq</c>.</summary>
    public static string ConnectionString(RabbitMqVirtualHost virtualHost) =>
        string.Join(',', Nodes.Select(node => new UriBuilder(node) { Path = virtualHost.AmqpUri.AbsolutePath }.Uri));

    /// <summary>The number (1-3) of the node named <paramref name="node"/> (<c>inbox2@host</c> is 2).</summary>
    public static int NodeNumber(string node) =>
        node.StartsWith("inbox", StringComparison.Ordinal) && int.TryParse(node.AsSpan(5, node.IndexOf('@', StringComparison.Ordinal) - 5), NumberStyles.None, CultureInfo.InvariantCulture, out var number)
            ? number
            : throw new ArgumentException($"{node} is not one of eng/cluster.sh's nodes (inbox1@host to inbox3@host).", nameof(node));

    /// <summary>Stops node <paramref name="number"/> (<c>rabbitmqctl shutdown</c>).</summary>
    public static Task StopNodeAsync(int number) => ClusterScript.RunAsync("rabbitmq-stop", number.ToString(CultureInfo.InvariantCulture));

    /// <summary>Starts node <paramref name="number"/> again; it rejoins the cluster.</summary>
    public static Task StartNodeAsync(int number) => ClusterScript.RunAsync("rabbitmq-start", number.ToString(CultureInfo.InvariantCulture));
}
