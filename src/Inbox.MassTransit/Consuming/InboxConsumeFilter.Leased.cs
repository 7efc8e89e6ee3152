using Inbox.EntityFrameworkCore.Inbox;
using Inbox.MassTransit.Diagnostics;
using Inbox.Operations;
using MassTransit;
using Microsoft.EntityFrameworkCore;

namespace Inbox.MassTransit.Consuming;

/// <summary>Leased mode: a committed claim with a lease, the effect outside any transaction, then the outcome.</summary>
internal sealed partial class InboxConsumeFilter<TDbContext, TMessage>
{
    private async Task<(Outcome, DateTimeOffset?)> RunLeasedAsync(
        ConsumeContext<TMessage> context, IPipe<ConsumeContext<TMessage>> next, TDbContext db, InboxMessageIdentity identity,
        CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var token = NewToken();
        var request = Request(identity, token, now + options.LeaseDuration) with
        {
            StartsOperation = OperationToComplete(identity) is { } operationId
                ? new OperationStart(operationId, RelayAt: now + options.LeaseDuration + storeOptions.RelayDelay)
                : null,
        };
        var claim = await InboxEntryStore.ClaimAsync(db, request, cancellationToken).ConfigureAwait(false);
        if (!claim.Claimed)
        {
            return NotClaimed(claim);
        }

        if (context.TryGetPayload<HeldClaim>(out var held))
        {
            held.Token = token;
        }

        if (claim.Kind == ClaimKind.Takeover)
        {
            metrics.TakenOver(settings.Name);
            Log.TakingOver(logger, settings.Name, identity.MessageKey, claim.Attempt);
        }

        // No transaction and no row lock is open while the consumer calls out.
        var state = Track(context, identity, claim);
        try
        {
            await next.Send(context).ConfigureAwait(false);
            await CompleteWithTrackedChangesAsync(db, identity, token, state, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception)
        {
            // The consumer threw or its outcome was not recorded: give the claim back so the retry claims at once rather
            // than wait out this delivery's own lease. After a completion that did commit, the release matches no row.
            await ReleaseAsync(db, identity, token).ConfigureAwait(false);
            throw;
        }

        return (Outcome.Done, null);
    }

    /// <summary>Records the outcome, with whatever the consumer left tracked saved in the same transaction.</summary>
    private async Task CompleteWithTrackedChangesAsync(
        TDbContext db, InboxMessageIdentity identity, string token, InboxConsumeState state, CancellationToken cancellationToken)
    {
        if (!db.ChangeTracker.HasChanges())
        {
            // Nothing of the consumer's to commit with the outcome: one statement, its own transaction.
            await CompleteLeasedAsync(db, identity, token, state, cancellationToken).ConfigureAwait(false);
            return;
        }

        var strategy = db.Database.CreateExecutionStrategy();
        var executions = 0;
        await strategy.ExecuteAsync(
            async cancel =>
            {
                if (++executions > 1)
                {
                    // The failed execution's SaveChanges may have accepted the consumer's changes before its commit
                    // failed, so saving again would save nothing: run the whole delivery again, consumer included.
                    throw new InboxRetryException($"{settings.Name} retries {identity.MessageKey} from the start after a transient failure.");
                }

                var transaction = await db.Database.BeginTransactionAsync(cancel).ConfigureAwait(false);
                await using var transactionLease = transaction.ConfigureAwait(false);
                await WithoutSavepointsAsync(db, () => db.SaveChangesAsync(cancel)).ConfigureAwait(false);
                if (await CompleteLeasedAsync(db, identity, token, state, cancel).ConfigureAwait(false))
                {
                    await transaction.CommitAsync(cancel).ConfigureAwait(false);
                }
                else
                {
                    await transaction.RollbackAsync(cancel).ConfigureAwait(false);
                }
            },
            cancellationToken).ConfigureAwait(false);
    }

    private async Task<bool> CompleteLeasedAsync(TDbContext db, InboxMessageIdentity identity, string token, InboxConsumeState state, CancellationToken cancellationToken)
    {
        var held = await InboxEntryStore.CompleteLeasedAsync(
            db, settings.Name, identity.MessageKey, token, state.ResultJson, OperationToComplete(identity), time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
        if (!held)
        {
            Log.LeaseLost(logger, settings.Name, identity.MessageKey);
        }

        return held;
    }

    /// <summary>Waits while another delivery holds a live lease. Returns <see langword="true"/> when that delivery succeeded.</summary>
    private async Task<bool> WaitForLeaseAsync(TDbContext db, InboxMessageIdentity identity, DateTimeOffset deadline, CancellationToken cancellationToken)
    {
        var pause = TimeSpan.FromMilliseconds(50);
        while (true)
        {
            var entry = await InboxEntryStore.ReadClaimAsync(db, settings.Name, identity.MessageKey, claimToken: string.Empty, cancellationToken).ConfigureAwait(false);
            var now = time.GetUtcNow();
            if (entry is not { } found || found.Status == OperationStatus.Failed)
            {
                return false;
            }

            if (found.Status == OperationStatus.Succeeded)
            {
                return true;
            }

            var takeoverAt = (found.LeaseExpiresAt ?? now) + options.LeaseSkewMargin;
            if (takeoverAt <= now)
            {
                return false;
            }

            if (now >= deadline)
            {
                throw new InboxLeaseHeldException(
                    $"{settings.Name} waited {options.EffectiveLeaseWaitLimit} for another delivery of {identity.MessageKey} to finish.");
            }

            var untilTakeover = takeoverAt - now + TimeSpan.FromMilliseconds(10);
            await Task.Delay(untilTakeover < pause ? untilTakeover : pause, time, cancellationToken).ConfigureAwait(false);
            pause = TimeSpan.FromMilliseconds(Math.Min(pause.TotalMilliseconds * 2, 1000));
        }
    }

    private async Task ReleaseAsync(TDbContext db, InboxMessageIdentity identity, string token)
    {
        try
        {
            db.ChangeTracker.Clear();
            await InboxEntryStore.ReleaseAttemptAsync(db, settings.Name, identity.MessageKey, token, time.GetUtcNow(), CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception exception)
        {
            Log.ReleaseFailed(logger, settings.Name, identity.MessageKey, exception);
        }
    }
}
