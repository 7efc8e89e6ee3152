using System.Collections.Concurrent;
using Inbox.AspNetCore.Diagnostics;
using Inbox.Stores;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Inbox.AspNetCore.Operating;

/// <summary>
/// The console's counts, cached in this process per scope (one tenant's, or all tenants'), stale-while-revalidate:
/// fresh up to <c>maxAge</c>; then served while one background read refreshes them, up to
/// <see cref="InboxConsoleDefaults.CountsStaleFactor"/> times <c>maxAge</c>; past that, or before any value, the request
/// awaits one read shared by every request of the scope meanwhile. Reads run in their own DI scope (the store is
/// scoped; a background read outlives the request that started it) and stop with the application.
/// </summary>
internal sealed class ConsoleCountsCache
{
    /// <summary>
    /// Above this many cached scopes, entries past the stale limit are dropped when a scope is added: an all-tenants
    /// operator may filter by any tenant, so the entries are bounded by what was asked within the stale limit.
    /// </summary>
    internal const int TrimAbove = 1024;

    private readonly ConcurrentDictionary<Scope, Entry> _entries = new();
    private readonly IServiceScopeFactory _scopes;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly CancellationToken _stopping;

    public ConsoleCountsCache(IServiceScopeFactory scopes, TimeProvider time, ILogger logger, TimeSpan maxAge, CancellationToken stopping)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(maxAge, TimeSpan.Zero);
        _scopes = scopes;
        _time = time;
        _logger = logger;
        _stopping = stopping;
        MaxAge = maxAge;
        StaleLimit = maxAge <= TimeSpan.MaxValue / InboxConsoleDefaults.CountsStaleFactor
            ? maxAge * InboxConsoleDefaults.CountsStaleFactor
            : TimeSpan.MaxValue;
    }

    public TimeSpan MaxAge { get; }

    /// <summary>The age past which cached counts are no longer served.</summary>
    public TimeSpan StaleLimit { get; }

    /// <summary>Reads the counts of <paramref name="tenant"/> (<see langword="null"/>: all tenants) through <paramref name="store"/>, uncached.</summary>
    public static async ValueTask<ConsoleCounts> ReadAsync(IOperationConsoleStore store, TimeProvider time, string? tenant, CancellationToken cancellationToken)
    {
        // Taken before the read: the counts include every change made before this instant.
        var asOf = time.GetUtcNow();
        var counts = await store.CountAsync(tenant, cancellationToken).ConfigureAwait(false);
        return new ConsoleCounts(counts, asOf);
    }

    /// <summary>The counts of <paramref name="tenant"/> (<see langword="null"/>: all tenants), from the cache when they are young enough.</summary>
    /// <exception cref="InboxStoreUnavailableException">The counts had to be read and the store could not be reached.</exception>
    public async ValueTask<ConsoleCounts> GetAsync(string? tenant, CancellationToken cancellationToken)
    {
        var scope = new Scope(tenant);
        var entry = Find(scope);
        TaskCompletionSource<ConsoleCounts>? started = null;
        ConsoleCounts? served = null;
        Task<ConsoleCounts> shared;
        lock (entry.Gate)
        {
            if (entry.Value is { } value && _time.GetUtcNow() - value.AsOf is var age && age < StaleLimit)
            {
                if (age <= MaxAge)
                {
                    return value;
                }

                served = value;
                if (entry.Reading is null)
                {
                    started = entry.Reading = NewRead();
                }
            }
            else if (entry.Reading is null)
            {
                started = entry.Reading = NewRead();
            }

            shared = entry.Reading!.Task;
        }

        if (started is not null)
        {
            _ = RefreshAsync(scope, entry, started, background: served is not null);
        }

        return served ?? await shared.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Drops the cached counts an action by an operator of <paramref name="tenant"/> may have changed: that tenant's and
    /// the all-tenants counts, or, for <see langword="null"/> (an all-tenants operator), every scope's. A read under way
    /// still answers the requests that await it but is not kept.
    /// </summary>
    public void Invalidate(string? tenant)
    {
        if (tenant is null)
        {
            foreach (var entry in _entries.Values)
            {
                Drop(entry);
            }

            return;
        }

        foreach (var scope in (Scope[])[new Scope(tenant), new Scope(Tenant: null)])
        {
            if (_entries.TryGetValue(scope, out var entry))
            {
                Drop(entry);
            }
        }
    }

    private static TaskCompletionSource<ConsoleCounts> NewRead() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    private static void Drop(Entry entry)
    {
        lock (entry.Gate)
        {
            entry.Value = null;
            entry.Reading = null;
        }
    }

    private Entry Find(Scope scope)
    {
        if (_entries.TryGetValue(scope, out var entry))
        {
            return entry;
        }

        if (_entries.Count >= TrimAbove)
        {
            Trim();
        }

        return _entries.GetOrAdd(scope, static _ => new Entry());
    }

    private void Trim()
    {
        var now = _time.GetUtcNow();
        foreach (var pair in _entries)
        {
            bool expired;
            lock (pair.Value.Gate)
            {
                expired = pair.Value.Reading is null && (pair.Value.Value is not { } value || now - value.AsOf >= StaleLimit);
            }

            if (expired)
            {
                _entries.TryRemove(pair);
            }
        }
    }

    private async Task RefreshAsync(Scope scope, Entry entry, TaskCompletionSource<ConsoleCounts> read, bool background)
    {
        try
        {
            ConsoleCounts counts;
            var services = _scopes.CreateAsyncScope();
            await using (services.ConfigureAwait(false))
            {
                var store = services.ServiceProvider.GetRequiredService<IOperationConsoleStore>();
                counts = await ReadAsync(store, _time, scope.Tenant, _stopping).ConfigureAwait(false);
            }

            lock (entry.Gate)
            {
                // Not kept when an action dropped the entry meanwhile: these counts may predate it.
                if (ReferenceEquals(entry.Reading, read))
                {
                    entry.Reading = null;
                    entry.Value = counts;
                }
            }

            read.SetResult(counts);
        }
        catch (Exception exception)
        {
            lock (entry.Gate)
            {
                if (ReferenceEquals(entry.Reading, read))
                {
                    entry.Reading = null;
                }
            }

            var stopping = exception is OperationCanceledException && _stopping.IsCancellationRequested;
            if (background && !stopping)
            {
                Log.ConsoleCountsRefreshFailed(_logger, scope.Name, StaleLimit, exception);
            }

            read.SetException(stopping
                ? new InboxStoreUnavailableException("The application is stopping; the console's counts were not read.", exception)
                : exception);

            // Observed here: a background read may have no request awaiting it.
            _ = read.Task.Exception;
        }
    }

    private readonly record struct Scope(string? Tenant)
    {
        public string Name => Tenant is null ? "all tenants" : "tenant " + Tenant;
    }

    private sealed class Entry
    {
        public readonly Lock Gate = new();

        public ConsoleCounts? Value;

        public TaskCompletionSource<ConsoleCounts>? Reading;
    }
}
