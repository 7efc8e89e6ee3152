using Inbox.EntityFrameworkCore.Inbox;
using MassTransit;
using Microsoft.EntityFrameworkCore;

namespace Inbox.MassTransit.Consuming;

/// <summary>Transactional mode: claim, consume, save and complete in one transaction.</summary>
internal sealed partial class InboxConsumeFilter<TDbContext, TMessage>
{
    /// <summary>
    /// Claims, then runs the consumer (unless <paramref name="consumed"/> says it already ran and left its changes
    /// tracked), then saves, records the outcome and commits: one transaction.
    /// </summary>
    private async Task<(Outcome, DateTimeOffset?)> RunTransactionalAsync(
        ConsumeContext<TMessage> context, IPipe<ConsumeContext<TMessage>> next, TDbContext db, InboxMessageIdentity identity,
        InboxConsumeState? consumed, CancellationToken cancellationToken)
    {
        var strategy = db.Database.CreateExecutionStrategy();
        var executions = 0;
        return await strategy.ExecuteAsync(
            async token =>
            {
                if (consumed is null)
                {
                    db.ChangeTracker.Clear();
                }
                else if (++executions > 1)
                {
                    // A retried execution cannot tell whether the first one's save was accepted into the change
                    // tracker before it failed: run the whole delivery again, consumer included.
                    throw new InboxRetryException($"{settings.Name} retries {identity.MessageKey} from the start after a transient failure.");
                }

                var transaction = await db.Database.BeginTransactionAsync(token).ConfigureAwait(false);
                await using var transactionLease = transaction.ConfigureAwait(false);
                return await WithoutSavepointsAsync(db, async () =>
                {
                    var claim = await InboxEntryStore.ClaimAsync(db, Request(identity, claimToken: NewToken(), leaseExpiresAt: null), token).ConfigureAwait(false);
                    if (!claim.Claimed)
                    {
                        await transaction.RollbackAsync(token).ConfigureAwait(false);
                        db.ChangeTracker.Clear();
                        return NotClaimed(claim);
                    }

                    var state = consumed ?? Track(context, identity, claim);
                    if (consumed is null)
                    {
                        await next.Send(context).ConfigureAwait(false);
                    }

                    await db.SaveChangesAsync(token).ConfigureAwait(false);
                    await InboxEntryStore.CompleteTransactionalAsync(
                        db, settings.Name, identity.MessageKey, state.ResultJson, OperationToComplete(identity), time.GetUtcNow(), token).ConfigureAwait(false);
                    await transaction.CommitAsync(token).ConfigureAwait(false);
                    return (Outcome.Done, (DateTimeOffset?)null);
                }).ConfigureAwait(false);
            },
            cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Runs <paramref name="action"/> with EF Core's automatic savepoints off: inside our transaction each SaveChanges
    /// would cost two more statements for a savepoint, and a failed attempt rolls the whole transaction back anyway.
    /// </summary>
    private static async Task<T> WithoutSavepointsAsync<T>(TDbContext db, Func<Task<T>> action)
    {
        var savepoints = db.Database.AutoSavepointsEnabled;
        db.Database.AutoSavepointsEnabled = false;
        try
        {
            return await action().ConfigureAwait(false);
        }
        finally
        {
            db.Database.AutoSavepointsEnabled = savepoints;
        }
    }
}
