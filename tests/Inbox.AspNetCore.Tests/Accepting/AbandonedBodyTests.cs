using System.Net.Sockets;
using System.Text;
using Inbox.AspNetCore.Tests.Support;
using Inbox.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;

namespace Inbox.AspNetCore.Tests.Accepting;

/// <summary>
/// A client that goes away while sending its body, over a real Kestrel socket: the client's doing, so a debug
/// entry, no warning or error, and nothing stored or published.
/// </summary>
public sealed class AbandonedBodyTests
{
    private const string Key = "abandoned-mid-body";

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Client_that_closes_its_connection_mid_body_is_logged_at_debug_and_leaves_nothing(bool reset)
    {
        await using var api = await TestApi.StartAsync(
            await TestDatabase.CreateAsync(DatabaseKind.PostgreSql),
            kestrel: true,
            services: services => services.AddLogging(logging => logging.AddFakeLogging().SetMinimumLevel(LogLevel.Debug)));
        var logs = api.Services.GetRequiredService<FakeLogCollector>();

        using (var socket = new Socket(SocketType.Stream, ProtocolType.Tcp))
        {
            await socket.ConnectAsync(api.Address!.Host, api.Address.Port);
            var body = Encoding.UTF8.GetBytes(Http.ValidClaim);
            var head = $"POST /claims HTTP/1.1\r\nHost: {api.Address.Authority}\r\nContent-Type: application/json\r\n" +
                $"Idempotency-Key: {Key}\r\nContent-Length: {body.Length * 4}\r\n\r\n";
            await socket.SendAsync(Encoding.ASCII.GetBytes(head));
            await socket.SendAsync(body.AsMemory(0, body.Length / 2));
            await Eventually.TrueAsync("Kestrel to start reading the body", () => Task.FromResult(
                logs.GetSnapshot().Any(record => record.Id.Name == "RequestBodyStart")));
            if (reset)
            {
                // A zero linger timeout makes the close a reset (RST) instead of an orderly shutdown (FIN).
                socket.LingerState = new LingerOption(true, 0);
            }
            else
            {
                socket.Shutdown(SocketShutdown.Both);
            }
        }

        // Hosting logs the end of every request, whatever became of it; its event has no name.
        await Eventually.TrueAsync("the request to finish", () => Task.FromResult(logs.GetSnapshot().Any(record =>
            record.Category == "Microsoft.AspNetCore.Hosting.Diagnostics" && record.Message.StartsWith("Request finished", StringComparison.Ordinal))));
        var records = logs.GetSnapshot();
        Assert.DoesNotContain(records, record => record.Level >= LogLevel.Warning);
        var abandoned = Assert.Single(records, record => record.Id.Name == "RequestBodyIncomplete");
        Assert.Equal(LogLevel.Debug, abandoned.Level);
        Assert.DoesNotContain(records, record => record.Message.Contains(Key, StringComparison.Ordinal));
        Assert.Empty(await api.OperationsAsync());
        Assert.Equal(0, api.Publisher.Attempts);
    }
}
