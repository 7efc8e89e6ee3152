using System.Net;
using System.Text.Json;
using Inbox.AspNetCore.Tests.Support;
using Inbox.MassTransit;
using Inbox.Operations;
using Inbox.Publishing;
using Inbox.Testing;
using MassTransit;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Inbox.AspNetCore.Tests.Operating;

/// <summary>
/// Issue 17's redrive from end to end, in one process: the real accept endpoint publishes through MassTransit (a real
/// RabbitMQ with PostgreSQL, the in-memory transport with SQLite for the embedded mode) to a consumer behind the inbox
/// that fails until its retries are exhausted; the console lists the failure under its code and endpoint, and a
/// redrive runs the consumer exactly once more, to success.
/// </summary>
public abstract class ConsoleRedriveEndToEndTests
{
    private const string Operator = "inbox-operator";
    private const string Tenant = "org_a";

    protected abstract DatabaseKind Kind { get; }

    private async Task<(TestApi Api, ConsumerProbe Probe, IAsyncDisposable? Rabbit)> StartAsync(InboxMode mode)
    {
        var rabbit = Kind == DatabaseKind.PostgreSql ? await RabbitMqServer.CreateVirtualHostAsync() : null;
        var probe = new ConsumerProbe();
        var api = await TestApi.StartAsync(
            await ContractDatabase.CreateAsync(Kind),
            time: TimeProvider.System,
            services: services =>
            {
                services.AddAuthorization(options => options.AddPolicy(Operator, policy => policy.RequireAuthenticatedUser()));
                services.AddSingleton(probe);

                // The broker instead of the test API's recording publisher.
                services.RemoveAll<IOperationPublisher>();
                services.AddInbox().UseMassTransit();
                services.Configure<MassTransitHostOptions>(options => options.WaitUntilStarted = true);
                services.AddMassTransit(bus =>
                {
                    bus.SetKebabCaseEndpointNameFormatter();
                    bus.AddConsumer<FailingClaimConsumer>();
                    void Inbox(IdempotentInboxOptions inbox)
                    {
                        inbox.Retry = retry => retry.Immediate(2);
                        inbox.Consumer<FailingClaimConsumer>(mode);
                    }

                    if (rabbit is null)
                    {
                        bus.UsingInMemory((context, cfg) =>
                        {
                            cfg.UseIdempotentInbox(context, Inbox);
                            cfg.ConfigureEndpoints(context);
                        });
                    }
                    else
                    {
                        bus.UsingRabbitMq((context, cfg) =>
                        {
                            cfg.Host(rabbit.AmqpUri);
                            cfg.UseIdempotentInbox(context, Inbox);
                            cfg.ConfigureEndpoints(context);
                        });
                    }
                });
            },
            endpoints: app => app.MapInboxConsole("/inbox", Operator));
        return (api, probe, rabbit);
    }

    private static async Task<string> AcceptAsync(TestApi api, string key)
    {
        var response = await api.Client.SendAsync(Http.Post("/claims", Http.ValidClaim, key: key, tenant: Tenant));
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var location = response.Headers.Location!.OriginalString;
        return location[(location.LastIndexOf('/') + 1)..];
    }

    private static async Task<JsonElement> StatusWhenAsync(TestApi api, string id, string status) =>
        await Eventually.ReturnsAsync($"operation {id} to be {status}", async () =>
        {
            var response = await api.Client.SendAsync(Http.Get("/operations/" + id, Tenant));
            return (await response.JsonAsync()).GetProperty("data");
        }, data => data.GetProperty("status").GetString() == status, TimeSpan.FromSeconds(30));

    private static async Task<int> PostActionAsync(TestApi api, string path)
    {
        var request = Http.Post(path, json: null, tenant: Tenant);
        request.Headers.Add("X-Inbox-Console", "1");
        var response = await api.Client.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.JsonAsync()).GetProperty("data").GetProperty("redriven").GetInt32();
    }

    private static async Task<List<JsonElement>> FailureGroupsAsync(TestApi api)
    {
        var response = await api.Client.SendAsync(Http.Get("/inbox/failures", Tenant));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return [.. (await response.JsonAsync()).GetProperty("data").GetProperty("groups").EnumerateArray()];
    }

    [SkippableTheory]
    [InlineData(InboxMode.Transactional)]
    [InlineData(InboxMode.Leased)]
    public async Task Consumer_that_failed_for_good_is_listed_under_its_code_and_a_redrive_runs_it_once_more_to_success(InboxMode mode)
    {
        var (api, probe, rabbit) = await StartAsync(mode);
        await using var rabbitLease = rabbit;
        await using var apiLease = api;
        var id = await AcceptAsync(api, "k1");

        var failed = await StatusWhenAsync(api, id, "failed");
        Assert.Equal("processing_failed", failed.GetProperty("error").GetProperty("code").GetString());
        Assert.Equal(3, probe.Runs.Count);

        var group = Assert.Single(await FailureGroupsAsync(api));
        Assert.Equal("processing_failed", group.GetProperty("code").GetString());
        Assert.Equal("POST /claims", group.GetProperty("endpoint").GetString());
        Assert.Equal(1, group.GetProperty("count").GetInt64());
        Assert.Equal(id, group.GetProperty("newest").GetProperty("id").GetString());

        probe.Fail = false;
        Assert.Equal(1, await PostActionAsync(api, $"/inbox/operations/{id}/redrive"));

        var succeeded = await StatusWhenAsync(api, id, "succeeded");
        Assert.Equal("clm_4", succeeded.GetProperty("result").GetProperty("claim_id").GetString());
        Assert.Equal(4, probe.Runs.Count);
        Assert.Equal(id, probe.Runs[^1].OperationId);

        // Leased: the entry the exhausted retries left failed is claimed again (the fourth claim); transactional: every
        // claim rolled back with its attempt, so the redrive's is the first that commits.
        Assert.Equal(mode == InboxMode.Leased ? 4 : 1, probe.Runs[^1].Attempt);
        Assert.False(probe.Runs[^1].IsTakeover);
        Assert.Empty(await FailureGroupsAsync(api));

        // Redriving it now is refused, and the consumer does not run again.
        var request = Http.Post($"/inbox/operations/{id}/redrive", json: null, tenant: Tenant);
        request.Headers.Add("X-Inbox-Console", "1");
        var refused = await api.Client.SendAsync(request);
        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        Assert.Equal(InboxErrorCodes.OperationNotRedrivable, (await refused.ErrorAsync()).Code);
        var after = await api.Client.SendAsync(Http.Get("/operations/" + id, Tenant));
        Assert.Equal(succeeded.GetRawText(), (await after.JsonAsync()).GetProperty("data").GetRawText());
        Assert.Equal(4, probe.Runs.Count);
    }

    [SkippableFact]
    public async Task Group_redrive_runs_each_failed_operation_of_the_group_once_more_to_success()
    {
        var (api, probe, rabbit) = await StartAsync(InboxMode.Transactional);
        await using var rabbitLease = rabbit;
        await using var apiLease = api;
        var ids = new[] { await AcceptAsync(api, "k1"), await AcceptAsync(api, "k2") };
        foreach (var id in ids)
        {
            await StatusWhenAsync(api, id, "failed");
        }

        Assert.Equal(2, Assert.Single(await FailureGroupsAsync(api)).GetProperty("count").GetInt64());
        var runsWhenFailed = probe.Runs.Count;
        probe.Fail = false;

        Assert.Equal(2, await PostActionAsync(api, "/inbox/failures/redrive?code=processing_failed&endpoint=POST%20/claims"));

        foreach (var id in ids)
        {
            await StatusWhenAsync(api, id, "succeeded");
        }

        Assert.Equal(6, runsWhenFailed);
        Assert.Equal(ids.Order(StringComparer.Ordinal), probe.Runs.Skip(runsWhenFailed).Select(r => r.OperationId!).Order(StringComparer.Ordinal));
    }
}

public sealed class PostgresConsoleRedriveEndToEndTests : ConsoleRedriveEndToEndTests
{
    protected override DatabaseKind Kind => DatabaseKind.PostgreSql;
}

public sealed class SqliteConsoleRedriveEndToEndTests : ConsoleRedriveEndToEndTests
{
    protected override DatabaseKind Kind => DatabaseKind.Sqlite;
}
