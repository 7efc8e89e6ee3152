using System.Net;
using Inbox.AspNetCore.Accepting;
using Inbox.AspNetCore.Tests.Support;
using Inbox.Operations;
using Inbox.Publishing;
using Inbox.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;

namespace Inbox.AspNetCore.Tests.Accepting;

/// <summary>
/// When a first acceptance is published relative to its 202 (<see cref="IdempotencyOptions.PublishTiming"/>), against a
/// real database of each provider. The publisher is held on a gate, so what the 202 waits for shows without timing.
/// </summary>
public abstract class AcceptancePublisherTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    protected abstract DatabaseKind Kind { get; }

    [SkippableFact]
    public async Task Before_response_the_202_waits_for_its_publish()
    {
        await using var api = await StartAsync(options => options.PublishTiming = PublishTiming.BeforeResponse);
        var (publishing, gate) = Hold(api.Publisher);

        var response = api.Client.SendAsync(Http.Post("/claims", Http.ValidClaim, key: "key-1"));
        await publishing.Task.WaitAsync(Patience);

        Assert.False(response.IsCompleted);
        gate.SetResult();
        Assert.Equal(HttpStatusCode.Accepted, (await response.WaitAsync(Patience)).StatusCode);
        Assert.Single(api.Publisher.Published);
    }

    [SkippableFact]
    public async Task By_default_the_202_follows_the_commit_and_the_dispatcher_publishes_it_then()
    {
        // TestApi answers before its publishes for the contract tests: this one puts the library's default back.
        await using var api = await StartAsync(options => options.PublishTiming = new IdempotencyOptions().PublishTiming);
        var (publishing, gate) = Hold(api.Publisher);

        // The publish is held: a 202 that waited for it would not come.
        var response = await api.Client.SendAsync(Http.Post("/claims", Http.ValidClaim, key: "key-1")).WaitAsync(Patience);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var id = (await response.JsonAsync()).GetProperty("data").GetProperty("id").GetString();
        Assert.Equal(OperationStatus.Accepted, Assert.Single(await api.OperationsAsync()).Status);
        await publishing.Task.WaitAsync(Patience);
        Assert.Empty(api.Publisher.Published);

        gate.SetResult();
        await Eventually.TrueAsync("the dispatcher to publish it", () => Task.FromResult(api.Publisher.Published.Count == 1));
        var published = Assert.Single(api.Publisher.Published);
        Assert.Equal(id, published.OperationId);
        Assert.Equal("key-1", published.IdempotencyKey);

        // A replay publishes nothing, as before.
        var replay = await api.Client.SendAsync(Http.Post("/claims", Http.ValidClaim, key: "key-1"));
        Assert.Equal("true", replay.Header("Idempotent-Replayed"));
        Assert.Equal(1, api.Publisher.Attempts);
    }

    [SkippableFact]
    public async Task After_response_a_failed_publish_leaves_the_operation_accepted_for_the_relay()
    {
        await using var api = await StartAsync(options => options.PublishTiming = PublishTiming.AfterResponse);
        api.Publisher.Fail = true;

        var response = await api.Client.SendAsync(Http.Post("/claims", Http.ValidClaim, key: "key-1"));

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        await Eventually.TrueAsync("the dispatcher to try", () => Task.FromResult(api.Publisher.Attempts == 1));
        Assert.Empty(api.Publisher.Published);
        Assert.Equal(OperationStatus.Accepted, Assert.Single(await api.OperationsAsync()).Status);
    }

    [SkippableFact]
    public async Task After_response_a_stop_publishes_what_is_queued_before_it_ends()
    {
        await using var api = await StartAsync(options => options.PublishTiming = PublishTiming.AfterResponse);
        var (publishing, gate) = Hold(api.Publisher);

        // More than the publishes in flight, so that some are still queued when the stop begins.
        const int Count = AcceptancePublisher.ConcurrentPublishes + 8;
        for (var i = 0; i < Count; i++)
        {
            Assert.Equal(HttpStatusCode.Accepted, (await api.Client.SendAsync(Http.Post("/claims", Http.ValidClaim, key: $"key-{i}")).WaitAsync(Patience)).StatusCode);
        }

        await publishing.Task.WaitAsync(Patience);
        var stopping = api.StopAsync();
        gate.SetResult();
        await stopping.WaitAsync(Patience);

        Assert.Equal(Count, api.Publisher.Published.Count);
        Assert.Equal(Count, api.Publisher.Attempts);
    }

    [SkippableFact]
    public async Task After_response_a_stop_out_of_time_leaves_the_unpublished_to_the_relay()
    {
        await using var api = await StartAsync(
            options => options.PublishTiming = PublishTiming.AfterResponse,
            services => services.Configure<HostOptions>(host => host.ShutdownTimeout = TimeSpan.FromMilliseconds(200)));
        var (publishing, gate) = Hold(api.Publisher);
        try
        {
            Assert.Equal(HttpStatusCode.Accepted, (await api.Client.SendAsync(Http.Post("/claims", Http.ValidClaim, key: "key-1")).WaitAsync(Patience)).StatusCode);
            await publishing.Task.WaitAsync(Patience);

            await api.StopAsync().WaitAsync(Patience);

            Assert.Empty(api.Publisher.Published);
            Assert.Equal(OperationStatus.Accepted, Assert.Single(await api.OperationsAsync()).Status);
        }
        finally
        {
            gate.TrySetResult();
        }
    }

    [SkippableFact]
    public async Task After_response_without_a_publisher_the_202_stands_and_the_stop_is_clean()
    {
        await using var api = await StartAsync(
            options => options.PublishTiming = PublishTiming.AfterResponse,
            services => services.RemoveAll<IOperationPublisher>());

        var response = await api.Client.SendAsync(Http.Post("/claims", Http.ValidClaim, key: "key-1")).WaitAsync(Patience);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal(OperationStatus.Accepted, Assert.Single(await api.OperationsAsync()).Status);
        await api.StopAsync().WaitAsync(Patience);
    }

    private async Task<TestApi> StartAsync(Action<IdempotencyOptions>? configure, Action<IServiceCollection>? services = null) =>
        await TestApi.StartAsync(await ContractDatabase.CreateAsync(Kind), configure, services: services);

    /// <summary>Holds every publish until the gate opens; <c>publishing</c> completes when the first one starts.</summary>
    private static (TaskCompletionSource Publishing, TaskCompletionSource Gate) Hold(RecordingPublisher publisher)
    {
        var publishing = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        publisher.OnPublish = async _ =>
        {
            publishing.TrySetResult();
            await gate.Task;
        };
        return (publishing, gate);
    }
}

public sealed class PostgresAcceptancePublisherTests : AcceptancePublisherTests
{
    protected override DatabaseKind Kind => DatabaseKind.PostgreSql;
}

public sealed class SqliteAcceptancePublisherTests : AcceptancePublisherTests
{
    protected override DatabaseKind Kind => DatabaseKind.Sqlite;
}
