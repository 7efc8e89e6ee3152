using Inbox.MassTransit.Tests.Support;
using Inbox.Operations;
using Inbox.Testing;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Inbox.MassTransit.Tests.Consuming;

/// <summary>
/// A database that cannot answer for a while (a failover, a restart) is not the operation's failure: the consumer
/// retries it for longer than its handler retry, and completes once when the database is back.
/// </summary>
public sealed class StoreOutageTests
{
    // The default handler retry makes five attempts (the first and four retries, in 3.6 s), and the failure record
    // one more; between them they open 10 connections (measured before the store retry existed, when the count
    // stopped there). Attempts beyond these, with a margin, are the store's retry.
    private const int HandlerRetryConnections = 12;

    [Fact]
    public async Task Consumer_whose_database_refuses_connections_for_longer_than_its_handler_retry_completes_once_when_it_is_back()
    {
        await using var database = await TestDatabase.CreateAsync(DatabaseKind.PostgreSql);
        var direct = new NpgsqlConnectionStringBuilder(database.ConnectionString);
        await using var proxy = TcpProxy.Start(direct.Host!, direct.Port);
        var proxied = new NpgsqlConnectionStringBuilder(database.ConnectionString) { Host = "127.0.0.1", Port = proxy.Port }.ConnectionString;
        var effects = new TestEffects();
        // The default handler retry; the store's retry quicker than its default minute, to keep the test short.
        await using var host = await InboxHost.StartAsync(
            database, rabbit: null, effects, inbox => inbox.StoreRetry = retry => retry.Interval(100, TimeSpan.FromMilliseconds(500)),
            dbOptions: options => options.UseNpgsql(proxied));
        var publication = await host.AcceptAsync(new SubmitClaim("pat_outage"));

        proxy.Cut();
        await host.PublishAsync(publication);
        await Eventually.TrueAsync(
            $"more than {HandlerRetryConnections} connection attempts while the database is cut (the handler retry's and the failure record's)",
            () => Task.FromResult(proxy.CutAttempts > HandlerRetryConnections),
            TimeSpan.FromSeconds(60));
        proxy.Restore();

        var operation = await host.OperationWhenAsync(publication.OperationId, OperationStatus.Succeeded, TimeSpan.FromSeconds(60));
        Assert.Null(operation.ErrorCode);
        Assert.Equal(1, effects.Invocations[publication.OperationId]);
        var claim = Assert.Single(await host.ClaimsAsync());
        Assert.Equal(publication.OperationId, claim.OperationId);
        var entry = Assert.Single(await host.EntriesAsync());
        Assert.Equal(OperationStatus.Succeeded, entry.Status);
    }
}
