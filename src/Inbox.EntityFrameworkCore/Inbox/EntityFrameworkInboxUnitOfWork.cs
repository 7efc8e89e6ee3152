using Inbox.Claims;
using Inbox.Operations;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace Inbox.EntityFrameworkCore.Inbox;

/// <summary>
/// Runs a consumer inside the claim's transaction on the application's context, for one message's scope: the claim,
/// the consumer's writes and the outcome commit together. Each attempt starts from a clean change tracker.
/// </summary>
internal sealed class EntityFrameworkInboxUnitOfWork<TDbContext>(
    TDbContext db, TimeProvider time, ILogger<EntityFrameworkInboxUnitOfWork<TDbContext>> logger) : IInboxUnitOfWork
    where TDbContext : DbContext
{
    private static readonly InboxClaimResult FreshClaim = new(Claimed: true, OperationStatus.Processing, Attempt: 1, ClaimKind.Fresh, LeaseExpiresAt: null);

    public Task<InboxAttemptResult> RunTransactionalAsync(InboxAttempt attempt, CancellationToken cancellationToken) =>
        RunTransactionalAsync(attempt, consumed: null, cancellationToken);

    /// <summary>
    /// Runs the consumer first, with its own saves and transactions refused, then saves its changes with a fresh
    /// claim and the outcome in one batch where the provider makes a batch atomic and the changes are plain inserts.
    /// A duplicate fails that batch and is skipped; a failed entry (a redrive) or one held by a lease, other changes
    /// and other providers take the transactional way.
    /// </summary>
    public async Task<InboxAttemptResult> RunSavedByInboxAsync(InboxAttempt attempt, CancellationToken cancellationToken)
    {
        db.ChangeTracker.Clear();
        string? result;
        using (var guard = ConsumerSaveGuard.Forbid(db, attempt.Consumer))
        {
            result = await attempt.Handler(FreshClaim, cancellationToken).ConfigureAwait(false);
            guard.ThrowIfTransactionOpen();
        }

        var operationId = attempt.CompletesOperationId;
        if (FreshClaimBatch.Fits(db, completesOperation: operationId is not null))
        {
            var request = attempt.NewClaim();
            try
            {
                await FreshClaimBatch.SaveAsync(db, request, result, operationId, cancellationToken).ConfigureAwait(false);
                return InboxAttemptResult.Done;
            }
            catch (Exception exception) when (!cancellationToken.IsCancellationRequested)
            {
                var entry = await InboxEntryStore.ReadClaimAsync(db, attempt.Consumer, attempt.MessageKey, request.ClaimToken, cancellationToken).ConfigureAwait(false);
                switch (entry)
                {
                    case null:
                        // The batch rolled back, on one of the consumer's own writes: the attempt is retried.
                        throw;
                    case { Claimed: true }:
                        // This attempt's claim is there, so the batch committed and the save failed afterwards:
                        // where EF Core sent the batch, usually because the operation's update matched no row (it is
                        // gone, or no longer accepted: a redrive finds it failed). Complete it through the SQL
                        // statement, which leaves a succeeded operation as it is.
                        if (exception is DbUpdateConcurrencyException)
                        {
                            Log.OperationNotAccepted(logger, attempt.Consumer, attempt.MessageKey);
                        }
                        else
                        {
                            Log.SavedDespiteError(logger, attempt.Consumer, attempt.MessageKey, exception);
                        }

                        db.ChangeTracker.Clear();
                        if (operationId is not null)
                        {
                            await InboxEntryStore.SucceedOperationAsync(db, operationId, result, request.Now, cancellationToken).ConfigureAwait(false);
                        }

                        return InboxAttemptResult.Done;
                    case { Status: OperationStatus.Succeeded } duplicate:
                        db.ChangeTracker.Clear();
                        return InboxAttemptResult.NotClaimed(duplicate);
                }

                // A failed entry, or one held by a lease: claim it the transactional way.
            }
        }

        return await RunTransactionalAsync(attempt, new ConsumedResult(result), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Claims, then runs the consumer (unless <paramref name="consumed"/> says it already ran and left its changes
    /// tracked), then saves, records the outcome and commits: one transaction.
    /// </summary>
    private async Task<InboxAttemptResult> RunTransactionalAsync(InboxAttempt attempt, ConsumedResult? consumed, CancellationToken cancellationToken)
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
                    // tracker before it failed: run the whole attempt again, consumer included.
                    throw new InboxRetryException($"{attempt.Consumer} retries {attempt.MessageKey} from the start after a transient failure.");
                }

                var transaction = await db.Database.BeginTransactionAsync(token).ConfigureAwait(false);
                await using var transactionLease = transaction.ConfigureAwait(false);
                return await Savepoints.WithoutAsync(db, async () =>
                {
                    // A transactional claim starts no operation, so no relay time is moved.
                    var claim = await InboxEntryStore.ClaimAsync(db, attempt.NewClaim(), relayDelay: TimeSpan.Zero, token).ConfigureAwait(false);
                    if (!claim.Claimed)
                    {
                        await transaction.RollbackAsync(token).ConfigureAwait(false);
                        db.ChangeTracker.Clear();
                        return InboxAttemptResult.NotClaimed(claim);
                    }

                    var result = consumed is { } ran ? ran.ResultJson : await attempt.Handler(claim, token).ConfigureAwait(false);
                    await db.SaveChangesAsync(token).ConfigureAwait(false);
                    await InboxEntryStore.CompleteTransactionalAsync(
                        db, attempt.Consumer, attempt.MessageKey, result, attempt.CompletesOperationId, time.GetUtcNow(), token).ConfigureAwait(false);
                    await transaction.CommitAsync(token).ConfigureAwait(false);
                    return InboxAttemptResult.Done;
                }).ConfigureAwait(false);
            },
            cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The result of a consumer that already ran and left its changes tracked.</summary>
    private readonly record struct ConsumedResult(string? ResultJson);
}
