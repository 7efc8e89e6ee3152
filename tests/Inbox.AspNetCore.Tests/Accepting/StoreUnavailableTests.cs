using System.Net;
using Inbox.AspNetCore.Tests.Support;
using Inbox.Operations;
using Inbox.Stores;
using Inbox.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Inbox.AspNetCore.Tests.Accepting;

/// <summary>When the database cannot be reached the API answers 503 with Retry-After, not a bare 500.</summary>
public sealed class StoreUnavailableTests
{
    [Fact]
    public async Task Accept_and_status_answer_503_with_retry_after_while_the_database_is_gone()
    {
        var database = await TestDatabase.CreateAsync(DatabaseKind.PostgreSql);
        await using var api = await TestApi.StartAsync(database);

        await AssertAcceptAndStatusAnswer503Async(api, makeDatabaseUnavailable: async () =>
        {
            await database.DisposeAsync();
            NpgsqlConnection.ClearAllPools();
        });
    }

    // Npgsql's default execution strategy wraps a transient failure to open a connection in an
    // InvalidOperationException ("likely due to a transient failure"), which is no DbException. Kestrel, not the
    // in-memory server, so that an unhandled exception arrives as the bare 500 a client sees.
    [Fact]
    public async Task Accept_and_status_answer_503_with_retry_after_while_the_database_refuses_connections()
    {
        var (api, proxy, proxied) = await StartBehindProxyAsync();
        await using (api)
        await using (proxy)
        {
            await AssertAcceptAndStatusAnswer503Async(api, makeDatabaseUnavailable: () => RefuseConnectionsAsync(proxy, proxied));
        }
    }

    [Fact]
    public async Task Store_reports_refused_connections_as_unavailable_and_a_cancelled_read_as_cancelled()
    {
        var (api, proxy, proxied) = await StartBehindProxyAsync();
        await using (api)
        await using (proxy)
        {
            await RefuseConnectionsAsync(proxy, proxied);
            await using var scope = api.Services.CreateAsyncScope();
            var store = scope.ServiceProvider.GetRequiredService<IOperationStore>();
            var id = RandomIds.NewOperationId();

            var unavailable = await Assert.ThrowsAsync<InboxStoreUnavailableException>(
                () => store.FindAsync("", id, api.Time.GetUtcNow(), CancellationToken.None).AsTask());
            Assert.IsType<InvalidOperationException>(unavailable.InnerException);
            Assert.IsType<NpgsqlException>(unavailable.InnerException.InnerException);

            using var cancelled = new CancellationTokenSource();
            await cancelled.CancelAsync();
            await Assert.ThrowsAnyAsync<OperationCanceledException>(
                () => store.FindAsync("", id, api.Time.GetUtcNow(), cancelled.Token).AsTask());
        }
    }

    // A failover is a 503 and a retry; a statement that is wrong for the database (here: the schema is missing) is a
    // defect, which a retry repeats: it surfaces as itself, not as "unavailable".
    [Fact]
    public async Task Store_reports_an_error_of_the_statement_itself_as_that_error_not_as_unavailable()
    {
        var database = await TestDatabase.CreateAsync(DatabaseKind.PostgreSql);
        await using var api = await TestApi.StartAsync(database);
        await using var scope = api.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<TestDbContext>();
        await db.Database.ExecuteSqlRawAsync("DROP TABLE inbox_operations CASCADE");
        var store = scope.ServiceProvider.GetRequiredService<IOperationStore>();

        var error = await Assert.ThrowsAsync<PostgresException>(
            () => store.FindAsync("", RandomIds.NewOperationId(), api.Time.GetUtcNow(), CancellationToken.None).AsTask());
        Assert.Equal(PostgresErrorCodes.UndefinedTable, error.SqlState);
    }

    /// <summary>An accept succeeds; once the database is unavailable, an accept and a status read both answer 503.</summary>
    private static async Task AssertAcceptAndStatusAnswer503Async(TestApi api, Func<Task> makeDatabaseUnavailable)
    {
        var accepted = await api.Client.SendAsync(Http.Post("/claims", Http.ValidClaim, key: "before"));
        Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);

        await makeDatabaseUnavailable();
        var submit = await api.Client.SendAsync(Http.Post("/claims", Http.ValidClaim, key: "during"));
        var status = await api.Client.SendAsync(Http.Get("/operations/" + RandomIds.NewOperationId()));

        foreach (var response in new[] { submit, status })
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
            Assert.Equal("1", response.Header("Retry-After"));
            var (code, message) = await response.ErrorAsync();
            Assert.Equal("service_unavailable", code);
            Assert.Contains("retry with the same idempotency key", message);
        }
    }

    /// <summary>An API on Kestrel whose database connections pass through a proxy the test can cut.</summary>
    private static async Task<(TestApi Api, TcpProxy Proxy, string ConnectionString)> StartBehindProxyAsync()
    {
        var database = await TestDatabase.CreateAsync(DatabaseKind.PostgreSql);
        var direct = new NpgsqlConnectionStringBuilder(database.ConnectionString);
        var proxy = TcpProxy.Start(direct.Host!, direct.Port);
        var proxied = new NpgsqlConnectionStringBuilder(database.ConnectionString) { Host = "127.0.0.1", Port = proxy.Port }.ConnectionString;
        var api = await TestApi.StartAsync(database, useDatabase: options => options.UseNpgsql(proxied), kestrel: true);
        return (api, proxy, proxied);
    }

    /// <summary>Cuts the proxy and empties the pool, so the next open is refused, as while PostgreSQL restarts.</summary>
    private static async Task RefuseConnectionsAsync(TcpProxy proxy, string connectionString)
    {
        await proxy.StopAsync();
        await using var pooled = new NpgsqlConnection(connectionString);
        NpgsqlConnection.ClearPool(pooled);
    }
}
