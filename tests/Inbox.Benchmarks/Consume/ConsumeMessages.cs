using Inbox.MassTransit;
using MassTransit;

namespace Inbox.Benchmarks.Consume;

public sealed record BenchMessage(int Index, string Text);

/// <summary>Writes one row per message: the bare baseline and the transactional inbox run the same code.</summary>
public sealed class RowConsumer(BenchDbContext db, ConsumeProgress progress) : IConsumer<BenchMessage>
{
    public async Task Consume(ConsumeContext<BenchMessage> context)
    {
        db.Rows.Add(new BenchRow { Id = Guid.NewGuid(), Index = context.Message.Index, Text = context.Message.Text });
        if (progress.Shape == ConsumerShape.OwnTransaction)
        {
            await using var transaction = await db.Database.BeginTransactionAsync(context.CancellationToken);
            await db.SaveChangesAsync(context.CancellationToken);
            await transaction.CommitAsync(context.CancellationToken);
        }
        else if (progress.Shape != ConsumerShape.LeaveTracked)
        {
            await db.SaveChangesAsync(context.CancellationToken);
        }

        if (progress.SetResults)
        {
            context.SetOperationResult(new { index = context.Message.Index });
        }

        progress.Done();
    }
}

/// <summary>
/// How the consumer writes its row: saved at once, saved inside an explicit transaction of its own (the floor under
/// any inbox that keeps a transaction around the consumer's writes: a second round trip for the COMMIT), or left
/// tracked for the inbox to save.
/// </summary>
public enum ConsumerShape
{
    OneRow,
    OwnTransaction,

    /// <summary>The row is left tracked for the inbox to save (<see cref="InboxMode.SavedByInbox"/>).</summary>
    LeaveTracked,
}

/// <summary>Leased mode with a no-op effect: the inbox's own cost around an external call that takes no time.</summary>
[IdempotentConsumer(InboxMode.Leased)]
public sealed class NoopEffectConsumer(ConsumeProgress progress) : IConsumer<BenchMessage>
{
    public Task Consume(ConsumeContext<BenchMessage> context)
    {
        _ = context.GetDownstreamKey("effect");
        progress.Done();
        return Task.CompletedTask;
    }
}

/// <summary>
/// Counts consumed messages of the current run and signals when all arrived; optionally holds them at a gate until
/// the queue is loaded.
/// </summary>
public sealed class ConsumeProgress
{
    private int _remaining;
    private TaskCompletionSource _done = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private TaskCompletionSource _gate = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public bool SetResults { get; set; }

    public ConsumerShape Shape { get; set; }

    public bool Gated { get; private set; }

    public Task Completed => _done.Task;

    public Task Gate => _gate.Task;

    public void Start(int count, bool gated = false)
    {
        _done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Gated = gated;
        if (!gated)
        {
            _gate.TrySetResult();
        }

        Volatile.Write(ref _remaining, count);
    }

    public void OpenGate() => _gate.TrySetResult();

    public void Done()
    {
        if (Interlocked.Decrement(ref _remaining) == 0)
        {
            _done.TrySetResult();
        }
    }
}

/// <summary>
/// Times each message through the whole endpoint pipe (inbox and consumer included), or, when it carries the
/// <c>Bench-Sent</c> header, from its send to the end of its consumption (end to end).
/// </summary>
public sealed class TimingFilter(Func<Recorder?> recorder, ConsumeProgress progress) : IFilter<ConsumeContext>
{
    public const string SentHeader = "Bench-Sent";

    public void Probe(ProbeContext context) => context.CreateFilterScope("timing");

    public async Task Send(ConsumeContext context, IPipe<ConsumeContext> next)
    {
        await progress.Gate;
        var start = context.Headers.Get<long>(SentHeader) ?? System.Diagnostics.Stopwatch.GetTimestamp();
        await next.Send(context);
        recorder()?.Record(System.Diagnostics.Stopwatch.GetTimestamp() - start);
    }
}
