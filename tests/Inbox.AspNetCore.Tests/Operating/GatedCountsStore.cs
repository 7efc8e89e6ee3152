using Inbox.AspNetCore.Operating;
using Inbox.Operating;
using Inbox.Operations;
using Inbox.Stores;

namespace Inbox.AspNetCore.Tests.Operating;

/// <summary>
/// A console store for the counts cache's unit tests, where the order of concurrent reads must be held still: each
/// count says which read it was (the n-th read counts n accepted operations on the endpoint named by its tenant),
/// waits at the gate while one is closed, and fails while <see cref="Failure"/> is set. The cache over the real
/// stores is tested over HTTP in InboxConsoleTests.
/// </summary>
internal sealed class GatedCountsStore : IOperationConsoleStore
{
    private readonly Lock _lock = new();
    private TaskCompletionSource? _gate;
    private int _reads;
    private int _waiting;

    public int Reads => Volatile.Read(ref _reads);

    /// <summary>Reads waiting at the closed gate.</summary>
    public int Waiting => Volatile.Read(ref _waiting);

    public Exception? Failure { get; set; }

    /// <summary>The endpoint the counts of <paramref name="tenant"/> are reported under.</summary>
    public static string EndpointOf(string? tenant) => "POST /" + (tenant ?? "all");

    /// <summary>The number of the read these counts came from.</summary>
    public static long ReadNumber(ConsoleCounts counts) => counts.Counts.Counts.Single().Count;

    public void Close()
    {
        lock (_lock)
        {
            _gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }
    }

    public void Open()
    {
        lock (_lock)
        {
            _gate?.TrySetResult();
            _gate = null;
        }
    }

    public async ValueTask<OperationCounts> CountAsync(string? tenant, CancellationToken cancellationToken)
    {
        var read = Interlocked.Increment(ref _reads);
        Task? gate;
        lock (_lock)
        {
            gate = _gate?.Task;
        }

        if (gate is not null)
        {
            Interlocked.Increment(ref _waiting);
            try
            {
                await gate.WaitAsync(cancellationToken);
            }
            finally
            {
                Interlocked.Decrement(ref _waiting);
            }
        }

        if (Failure is { } failure)
        {
            throw failure;
        }

        return new OperationCounts([new OperationCount(EndpointOf(tenant), OperationStatus.Accepted, read)], []);
    }

    public ValueTask<OperationPage> ListAsync(OperationListQuery query, CancellationToken cancellationToken) => throw new NotSupportedException();

    public ValueTask<OperationDetail?> FindAsync(string? tenant, string operationId, bool includeBodies, CancellationToken cancellationToken) =>
        throw new NotSupportedException();

    public ValueTask<IReadOnlyList<FailureGroup>> ListFailuresAsync(string? tenant, string? endpoint, int limit, CancellationToken cancellationToken) =>
        throw new NotSupportedException();
}
