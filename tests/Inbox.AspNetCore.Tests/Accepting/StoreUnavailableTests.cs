using System.Net;
using Inbox.AspNetCore.Tests.Support;
using Inbox.Operations;
using Inbox.Testing;
using Microsoft.EntityFrameworkCore;
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
        var accepted = await api.Client.SendAsync(Http.Post("/claims", Http.ValidClaim, key: "before"));
        Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);

        await database.DisposeAsync();
        NpgsqlConnection.ClearAllPools();

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

    // Npgsql's default execution strategy wraps a transient failure to open a connection in an
    // InvalidOperationException ("likely due to a transient failure"), which is no DbException. Kestrel, not the
    // in-memory server, so that an unhandled exception arrives as the bare 500 a client sees.
    [Fact]
    public async Task Accept_and_status_answer_503_with_retry_after_while_the_database_refuses_connections()
    {
        var database = await TestDatabase.CreateAsync(DatabaseKind.PostgreSql);
        var direct = new NpgsqlConnectionStringBuilder(database.ConnectionString);
        await using var proxy = TcpProxy.Start(direct.Host!, direct.Port);
        var proxied = new NpgsqlConnectionStringBuilder(database.ConnectionString) { Host = "127.0.0.1", Port = proxy.Port }.ConnectionString;
        await using var api = await TestApi.StartAsync(database, useDatabase: options => options.UseNpgsql(proxied), kestrel: true);
        var accepted = await api.Client.SendAsync(Http.Post("/claims", Http.ValidClaim, key: "before"));
        Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);

        await proxy.StopAsync();
        await using (var pooled = new NpgsqlConnection(proxied))
        {
            NpgsqlConnection.ClearPool(pooled);
        }

        var submit = await api.Client.SendAsync(Http.Post("/claims", Http.ValidClaim, key: "during"));
        var status = await api.Client.SendAsync(Http.Get("/operations/" + accepted.Header("Operation-Location")!.Split('/')[^1]));

        foreach (var response in new[] { submit, status })
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
            Assert.Equal("1", response.Header("Retry-After"));
            var (code, _) = await response.ErrorAsync();
            Assert.Equal("service_unavailable", code);
        }
    }
}
