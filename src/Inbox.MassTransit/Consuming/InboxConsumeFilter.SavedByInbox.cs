using Inbox.EntityFrameworkCore.Inbox;
using Inbox.MassTransit.Diagnostics;
using Inbox.Operations;
using MassTransit;
using Microsoft.EntityFrameworkCore;

namespace Inbox.MassTransit.Consuming;

/// <summary>SavedByInbox mode: consume first, then one batch where the provider allows it.</summary>
internal sealed partial class InboxConsumeFilter<TDbContext, TMessage>
{
    /// <summary>
    /// Runs the consumer first, with its own saves and transactions refused, then saves its changes with a fresh
    /// claim and the outcome in one batch where the provider makes a batch atomic and the changes are plain inserts.
    /// A duplicate fails that batch and is skipped; a failed entry (a redrive) or one held by a lease, other changes
    /// and other providers take the transactional way.
    /// </summary>
    private async Task<(Outcome, DateTimeOffset?)> RunSavedByInboxAsync(
        ConsumeContext<TMessage> context, IPipe<ConsumeContext<TMessage>> next, TDbContext db, InboxMessageIdentity identity,
        CancellationToken cancellationToken)
    {
        var state = Track(context, identity, FreshClaim);
        using (var guard = ConsumerSaveGuard.Forbid(db, settings.Name))
        {
            await next.Send(context).ConfigureAwait(false);
            guard.ThrowIfTransactionOpen();
        }

        var operationId = OperationToComplete(identity);
        if (FreshClaimBatch.Fits(db, completesOperation: operationId is not null))
        {
            var request = Request(identity, NewToken(), leaseExpiresAt: null);
            try
            {
                await FreshClaimBatch.SaveAsync(db, request, state.ResultJson, operationId, cancellationToken).ConfigureAwait(false);
                return (Outcome.Done, null);
            }
            catch (Exception exception) when (!cancellationToken.IsCancellationRequested)
            {
                var entry = await InboxEntryStore.ReadClaimAsync(db, settings.Name, identity.MessageKey, request.ClaimToken, cancellationToken).ConfigureAwait(false);
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
                            Log.OperationNotAccepted(logger, settings.Name, identity.MessageKey);
                        }
                        else
                        {
                            Log.SavedDespiteError(logger, settings.Name, identity.MessageKey, exception);
                        }

                        db.ChangeTracker.Clear();
                        if (operationId is not null)
                        {
                            await InboxEntryStore.SucceedOperationAsync(db, operationId, state.ResultJson, request.Now, cancellationToken).ConfigureAwait(false);
                        }

                        return (Outcome.Done, null);
                    case { Status: OperationStatus.Succeeded }:
                        db.ChangeTracker.Clear();
                        return (Outcome.Duplicate, null);
                }

                // A failed entry, or one held by a lease: claim it the transactional way.
            }
        }

        return await RunTransactionalAsync(context, next, db, identity, consumed: state, cancellationToken).ConfigureAwait(false);
    }

    private static readonly InboxClaimResult FreshClaim = new(Claimed: true, OperationStatus.Processing, Attempt: 1, ClaimKind.Fresh, LeaseExpiresAt: null);
}
