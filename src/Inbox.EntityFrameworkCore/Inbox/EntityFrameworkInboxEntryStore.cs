using Inbox.Background;
using Inbox.Claims;
using Inbox.Stores;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Inbox.EntityFrameworkCore.Inbox;

/// <summary>
/// The inbox entries in the application's context, for one message's scope. A claim starts an attempt, so it drops
/// whatever the context tracked from an earlier one; a leased outcome saves what the consumer left tracked in the
/// same transaction.
/// </summary>
internal sealed class EntityFrameworkInboxEntryStore<TDbContext>(TDbContext db, IOptions<InboxStoreOptions> options) : IInboxEntryStore
    where TDbContext : DbContext
{
    public async ValueTask<InboxClaimResult> ClaimAsync(InboxClaimRequest request, CancellationToken cancellationToken)
    {
        db.ChangeTracker.Clear();
        return await InboxEntryStore.ClaimAsync(db, request, options.Value.RelayDelay, cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask<InboxClaimResult?> ReadClaimAsync(string consumer, string messageKey, string claimToken, CancellationToken cancellationToken) =>
        await InboxEntryStore.ReadClaimAsync(db, consumer, messageKey, claimToken, cancellationToken).ConfigureAwait(false);

    public async ValueTask<bool> CompleteLeasedAsync(LeasedOutcome outcome, CancellationToken cancellationToken)
    {
        if (!db.ChangeTracker.HasChanges())
        {
            // Nothing of the consumer's to commit with the outcome: one statement, its own transaction.
            return await CompleteAsync(outcome, cancellationToken).ConfigureAwait(false);
        }

        var strategy = db.Database.CreateExecutionStrategy();
        var executions = 0;
        return await strategy.ExecuteAsync(
            async cancel =>
            {
                if (++executions > 1)
                {
                    // The failed execution's SaveChanges may have accepted the consumer's changes before its commit
                    // failed, so saving again would save nothing: run the whole attempt again, consumer included.
                    throw new InboxRetryException($"{outcome.Consumer} retries {outcome.MessageKey} from the start after a transient failure.");
                }

                var transaction = await db.Database.BeginTransactionAsync(cancel).ConfigureAwait(false);
                await using var transactionLease = transaction.ConfigureAwait(false);
                await Savepoints.WithoutAsync(db, () => db.SaveChangesAsync(cancel)).ConfigureAwait(false);
                if (await CompleteAsync(outcome, cancel).ConfigureAwait(false))
                {
                    await transaction.CommitAsync(cancel).ConfigureAwait(false);
                    return true;
                }

                await transaction.RollbackAsync(cancel).ConfigureAwait(false);
                return false;
            },
            cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask<bool> CompleteOperationAsync(string consumer, string messageKey, string operationId, DateTimeOffset now, CancellationToken cancellationToken) =>
        await InboxEntryStore.SucceedOperationFromEntryAsync(db, consumer, messageKey, operationId, now, cancellationToken).ConfigureAwait(false) > 0;

    public async ValueTask ReleaseAttemptAsync(string consumer, string messageKey, string claimToken, DateTimeOffset now, CancellationToken cancellationToken)
    {
        db.ChangeTracker.Clear();
        await InboxEntryStore.ReleaseAttemptAsync(db, consumer, messageKey, claimToken, now, cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask RecordFailureAsync(InboxFailure failure, CancellationToken cancellationToken) =>
        await InboxEntryStore.RecordFailureAsync(db, failure, cancellationToken).ConfigureAwait(false);

    private Task<bool> CompleteAsync(LeasedOutcome outcome, CancellationToken cancellationToken) =>
        InboxEntryStore.CompleteLeasedAsync(
            db, outcome.Consumer, outcome.MessageKey, outcome.ClaimToken, outcome.ResultJson, outcome.CompletesOperationId, outcome.Now, cancellationToken);
}
