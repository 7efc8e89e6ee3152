using DotNet.Testcontainers.Configurations;

namespace Inbox.Testing;

/// <summary>Where the real servers for the integration tests come from.</summary>
public static class TestEnvironment
{
    /// <summary>Npgsql connection string of a role that may create databases.</summary>
    public const string PostgresVariable = "INBOX_TEST_POSTGRES";

    /// <summary>AMQP URI of a RabbitMQ administrator, e.g. <c>amqp://inbox:inbox@127.0.0.1:5672/</c>.</summary>
    public const string RabbitMqVariable = "INBOX_TEST_RABBITMQ";

    /// <summary>RabbitMQ management API base address; defaults to port 15672 on the AMQP host.</summary>
    public const string RabbitMqManagementVariable = "INBOX_TEST_RABBITMQ_MANAGEMENT";

    /// <summary>SqlClient connection string of a login that may create databases.</summary>
    public const string SqlServerVariable = "INBOX_TEST_SQLSERVER";

    private static readonly Lazy<bool> DockerAvailable = new(ProbeDocker);

    /// <summary>Whether a Docker engine answers, so Testcontainers can start servers.</summary>
    public static bool IsDockerAvailable => DockerAvailable.Value;

    internal static string? Get(string variable)
    {
        var value = Environment.GetEnvironmentVariable(variable);
        return string.IsNullOrWhiteSpace(value) ? null : value.Trim();
    }

    internal static InvalidOperationException Missing(string server, string variable, string example) => new(
        $"No {server} for the integration tests: set {variable} (for example {example}), " +
        "or run them where a Docker engine answers (Testcontainers), " +
        "or run `bash eng/test.sh`, which installs and starts the servers on this machine.");

    private static bool ProbeDocker()
    {
        try
        {
            return TestcontainersSettings.OS.DockerEndpointAuthConfig is not null;
        }
        catch (Exception)
        {
            return false;
        }
    }
}
