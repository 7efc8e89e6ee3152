using Inbox.AspNetCore.Operating;
using Inbox.Stores;
using Inbox.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Time.Testing;

namespace Inbox.AspNetCore.Tests.Operating;

/// <summary>
/// The console's counts cache on its own, on a <see cref="FakeTimeProvider"/>, over a store whose reads are held at a
/// gate, so that what happens while a read is under way can be seen: which requests are served, which wait, and how
/// many reads the store gets.
/// </summary>
public sealed class ConsoleCountsCacheTests : IAsyncDisposable
{
    private static readonly TimeSpan MaxAge = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan StaleLimit = MaxAge * InboxConsoleDefaults.CountsStaleFactor;

    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 23, 9, 0, 0, TimeSpan.Zero));
    private readonly GatedCountsStore _store = new();
    private readonly FakeLogger _logger = new();
    private readonly CancellationTokenSource _stopping = new();
    private readonly ServiceProvider _services;
    private readonly ConsoleCountsCache _cache;

    public ConsoleCountsCacheTests()
    {
        _services = new ServiceCollection().AddScoped<IOperationConsoleStore>(_ => _store).BuildServiceProvider();
        _cache = new ConsoleCountsCache(_services.GetRequiredService<IServiceScopeFactory>(), _time, _logger, MaxAge, _stopping.Token);
    }

    public async ValueTask DisposeAsync()
    {
        _store.Open();
        _stopping.Dispose();
        await _services.DisposeAsync();
    }

    private Task<ConsoleCounts> GetAsync(string? tenant = null) => _cache.GetAsync(tenant, CancellationToken.None).AsTask();

    private async Task<(ConsoleCounts OrgA, ConsoleCounts OrgB, ConsoleCounts All)> EachScopeAsync() =>
        (await GetAsync("org_a"), await GetAsync("org_b"), await GetAsync(null));

    [Fact]
    public async Task Counts_younger_than_the_max_age_are_served_from_the_cache()
    {
        var first = await GetAsync();
        _time.Advance(MaxAge);

        var second = await GetAsync();

        Assert.Same(first, second);
        Assert.Equal(_time.Start, second.AsOf);
        Assert.Equal(1, _store.Reads);
    }

    [Fact]
    public async Task Stale_counts_are_served_at_once_while_one_background_read_refreshes_them()
    {
        var first = await GetAsync();
        _time.Advance(MaxAge + TimeSpan.FromSeconds(1));
        _store.Close();

        var served = await Task.WhenAll(Enumerable.Range(0, 5).Select(_ => GetAsync()));

        Assert.All(served, counts => Assert.Same(first, counts));
        await Eventually.TrueAsync("the refresh to wait at the gate", () => Task.FromResult(_store.Waiting == 1));
        Assert.Equal(2, _store.Reads);
        _store.Open();
        var refreshed = await Eventually.ReturnsAsync("the refreshed counts", () => GetAsync(), counts => counts.AsOf > first.AsOf);
        Assert.Equal(2, GatedCountsStore.ReadNumber(refreshed));
        Assert.Equal(_time.Start + MaxAge + TimeSpan.FromSeconds(1), refreshed.AsOf);
        Assert.Equal(2, _store.Reads);
    }

    [Fact]
    public async Task Counts_past_the_stale_limit_are_not_served_and_the_request_awaits_a_read()
    {
        await GetAsync();
        _time.Advance(StaleLimit);
        _store.Close();

        var waiting = GetAsync();
        await Eventually.TrueAsync("the read to wait at the gate", () => Task.FromResult(_store.Waiting == 1));

        Assert.False(waiting.IsCompleted);
        _store.Open();
        var counts = await waiting;
        Assert.Equal(2, GatedCountsStore.ReadNumber(counts));
        Assert.Equal(_time.Start + StaleLimit, counts.AsOf);
    }

    [Fact]
    public async Task Concurrent_requests_without_a_value_share_one_read()
    {
        _store.Close();

        var requests = Enumerable.Range(0, 20).Select(_ => GetAsync()).ToList();
        await Eventually.TrueAsync("the read to wait at the gate", () => Task.FromResult(_store.Waiting == 1));

        Assert.All(requests, request => Assert.False(request.IsCompleted));
        _store.Open();
        var answers = await Task.WhenAll(requests);
        Assert.All(answers, counts => Assert.Same(answers[0], counts));
        Assert.Equal(1, _store.Reads);
    }

    [Fact]
    public async Task Each_tenant_and_the_all_tenants_view_have_their_own_counts()
    {
        var (orgA, orgB, all) = await EachScopeAsync();

        Assert.Equal(GatedCountsStore.EndpointOf("org_a"), orgA.Counts.Counts.Single().Endpoint);
        Assert.Equal(GatedCountsStore.EndpointOf("org_b"), orgB.Counts.Counts.Single().Endpoint);
        Assert.Equal(GatedCountsStore.EndpointOf(null), all.Counts.Counts.Single().Endpoint);
        Assert.Same(orgA, await GetAsync("org_a"));
        Assert.Same(orgB, await GetAsync("org_b"));
        Assert.Same(all, await GetAsync(null));
        Assert.Equal(3, _store.Reads);
    }

    [Fact]
    public async Task A_failed_refresh_is_logged_and_the_old_counts_are_served_until_the_stale_limit()
    {
        var first = await GetAsync();
        _store.Failure = new InboxStoreUnavailableException("The store did not answer.", new TimeoutException());
        _time.Advance(MaxAge + TimeSpan.FromSeconds(1));

        Assert.Same(first, await GetAsync());
        var failure = await Eventually.ReturnsAsync("the failed refresh to be logged", () => Task.FromResult(_logger.Collector.GetSnapshot()), logs => logs.Count == 1);

        Assert.Equal(LogLevel.Warning, failure[0].Level);
        Assert.Equal("ConsoleCountsRefreshFailed", failure[0].Id.Name);
        Assert.Same(_store.Failure, failure[0].Exception);
        Assert.Contains("all tenants", failure[0].Message, StringComparison.Ordinal);
        _time.Advance(StaleLimit - MaxAge - TimeSpan.FromSeconds(2));
        Assert.Same(first, await GetAsync());
        await Eventually.TrueAsync("the second refresh to fail", () => Task.FromResult(_logger.Collector.Count == 2));
        _time.Advance(TimeSpan.FromSeconds(1));
        await Assert.ThrowsAsync<InboxStoreUnavailableException>(() => GetAsync());
        Assert.Equal(2, _logger.Collector.Count);
    }

    [Fact]
    public async Task Invalidating_a_tenant_drops_its_counts_and_the_all_tenants_counts_only()
    {
        var (orgA, orgB, all) = await EachScopeAsync();

        _cache.Invalidate("org_a");

        Assert.NotSame(orgA, await GetAsync("org_a"));
        Assert.NotSame(all, await GetAsync(null));
        Assert.Same(orgB, await GetAsync("org_b"));
        Assert.Equal(5, _store.Reads);
    }

    [Fact]
    public async Task Invalidating_for_an_all_tenants_operator_drops_every_scope()
    {
        var (orgA, orgB, all) = await EachScopeAsync();

        _cache.Invalidate(null);

        Assert.NotSame(orgA, await GetAsync("org_a"));
        Assert.NotSame(orgB, await GetAsync("org_b"));
        Assert.NotSame(all, await GetAsync(null));
        Assert.Equal(6, _store.Reads);
    }

    [Fact]
    public async Task A_read_under_way_when_an_action_invalidates_answers_its_requests_but_is_not_kept()
    {
        _store.Close();
        var before = GetAsync("org_a");
        await Eventually.TrueAsync("the read to wait at the gate", () => Task.FromResult(_store.Waiting == 1));

        _cache.Invalidate("org_a");
        _store.Open();

        Assert.Equal(1, GatedCountsStore.ReadNumber(await before));
        Assert.Equal(2, GatedCountsStore.ReadNumber(await GetAsync("org_a")));
    }

    [Fact]
    public async Task A_request_that_gives_up_leaves_the_shared_read_to_the_others()
    {
        _store.Close();
        using var aborted = new CancellationTokenSource();
        var givingUp = _cache.GetAsync(null, aborted.Token).AsTask();
        var staying = GetAsync();
        await Eventually.TrueAsync("the read to wait at the gate", () => Task.FromResult(_store.Waiting == 1));

        await aborted.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => givingUp);
        _store.Open();

        Assert.Equal(1, GatedCountsStore.ReadNumber(await staying));
        Assert.Equal(1, _store.Reads);
    }

    [Fact]
    public async Task A_read_stopped_by_the_application_stopping_is_a_store_unavailable_and_not_logged()
    {
        _store.Close();
        var waiting = GetAsync();
        await Eventually.TrueAsync("the read to wait at the gate", () => Task.FromResult(_store.Waiting == 1));

        await _stopping.CancelAsync();

        await Assert.ThrowsAsync<InboxStoreUnavailableException>(() => waiting);
        Assert.Equal(0, _logger.Collector.Count);
    }
}
