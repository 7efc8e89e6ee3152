using System.Net.Http.Headers;
using System.Text;
using Testcontainers.RabbitMq;

namespace Inbox.Testing;

/// <summary>
/// The RabbitMQ broker of this test run: <see cref="TestEnvironment.RabbitMqVariable"/> if set,
/// otherwise one Testcontainers container shared by the run. Every test gets its own virtual host.
/// </summary>
public static class RabbitMqServer
{
    private const int ManagementPort = 15672;
    private static readonly SemaphoreSlim Gate = new(1, 1);
    private static Endpoints? _endpoints;
    private static RabbitMqContainer? _container;

    /// <summary>Creates a virtual host for one test; disposing it deletes the virtual host.</summary>
    public static async Task<RabbitMqVirtualHost> CreateVirtualHostAsync(CancellationToken cancellationToken = default)
    {
        var endpoints = await GetEndpointsAsync(cancellationToken);
        return await CreateVirtualHostAsync(endpoints.Amqp, endpoints.Management, cancellationToken);
    }

    /// <summary>
    /// Creates a virtual host on the broker (or cluster) at <paramref name="amqp"/>, an administrator's AMQP URI,
    /// through the management API at <paramref name="management"/>; disposing it deletes the virtual host.
    /// </summary>
    public static async Task<RabbitMqVirtualHost> CreateVirtualHostAsync(Uri amqp, Uri management, CancellationToken cancellationToken = default)
    {
        var endpoints = new Endpoints(amqp, management);
        var name = "inbox-test-" + Guid.NewGuid().ToString("N")[..16];
        var client = CreateManagementClient(endpoints);

        var created = await client.PutAsync(
            $"api/vhosts/{name}", new StringContent("{}", Encoding.UTF8, "application/json"), cancellationToken);
        await EnsureSuccessAsync(created, "create the virtual host", cancellationToken);

        var user = Uri.UnescapeDataString(endpoints.Amqp.UserInfo.Split(':')[0]);
        var permissions = await client.PutAsync(
            $"api/permissions/{name}/{Uri.EscapeDataString(user)}",
            new StringContent("""{"configure":".*","write":".*","read":".*"}""", Encoding.UTF8, "application/json"),
            cancellationToken);
        await EnsureSuccessAsync(permissions, "grant permissions on the virtual host", cancellationToken);

        return new RabbitMqVirtualHost(name, new UriBuilder(amqp) { Path = "/" + Uri.EscapeDataString(name) }.Uri, client);
    }

    private static HttpClient CreateManagementClient(Endpoints endpoints)
    {
        var client = new HttpClient { BaseAddress = endpoints.Management, Timeout = TimeSpan.FromSeconds(30) };
        var credentials = Encoding.UTF8.GetBytes(Uri.UnescapeDataString(endpoints.Amqp.UserInfo));
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(credentials));
        return client;
    }

    internal static async Task EnsureSuccessAsync(HttpResponseMessage response, string what, CancellationToken cancellationToken)
    {
        if (!response.IsSuccessStatusCode)
        {
            var body = await response.Content.ReadAsStringAsync(cancellationToken);
            throw new InvalidOperationException(
                $"RabbitMQ management API could not {what}: {(int)response.StatusCode} {body}");
        }
    }

    private static async Task<Endpoints> GetEndpointsAsync(CancellationToken cancellationToken)
    {
        if (_endpoints is not null)
        {
            return _endpoints;
        }

        await Gate.WaitAsync(cancellationToken);
        try
        {
            if (_endpoints is not null)
            {
                return _endpoints;
            }

            var fromEnvironment = TestEnvironment.Get(TestEnvironment.RabbitMqVariable);
            if (fromEnvironment is not null)
            {
                var amqp = new Uri(fromEnvironment);
                var management = TestEnvironment.Get(TestEnvironment.RabbitMqManagementVariable) is { } given
                    ? new Uri(given)
                    : new UriBuilder("http", amqp.Host, ManagementPort).Uri;
                _endpoints = new Endpoints(amqp, management);
            }
            else if (TestEnvironment.IsDockerAvailable)
            {
                _container = new RabbitMqBuilder("rabbitmq:3.13-management-alpine")
                    .WithUsername("inbox")
                    .WithPassword("inbox")
                    .WithPortBinding(ManagementPort, true)
                    .Build();
                await _container.StartAsync(cancellationToken);
                var amqp = new Uri(_container.GetConnectionString());
                var management = new UriBuilder("http", _container.Hostname, _container.GetMappedPublicPort(ManagementPort)).Uri;
                _endpoints = new Endpoints(amqp, management);
            }
            else
            {
                throw TestEnvironment.Missing(
                    "RabbitMQ", TestEnvironment.RabbitMqVariable, "amqp://inbox:inbox@127.0.0.1:5672/");
            }

            return _endpoints;
        }
        finally
        {
            Gate.Release();
        }
    }

    private sealed record Endpoints(Uri Amqp, Uri Management);
}
