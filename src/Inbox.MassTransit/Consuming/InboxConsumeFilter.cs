using Inbox.Diagnostics;
using Inbox.EntityFrameworkCore;
using Inbox.EntityFrameworkCore.Inbox;
using Inbox.MassTransit.Diagnostics;
using Inbox.Operations;
using MassTransit;
using MassTransit.DependencyInjection;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace Inbox.MassTransit.Consuming;

/// <summary>
/// Runs one consumer's message at most once per deduplication key, in the consumer's mode. Sits inside the
/// retry, so every attempt starts from a clean change tracker and, in transactional mode, a fresh transaction.
/// </summary>
internal sealed class InboxConsumeFilter<TDbContext, TMessage>(
    IConsumeScopeProvider scopes,
    ConsumerInboxSettings settings,
    IdempotentInboxOptions options,
    InboxStoreOptions storeOptions,
    TimeProvider time,
    ConsumerMetrics metrics,
    ILogger logger) : IFilter<ConsumeContext<TMessage>>
    where TDbContext : DbContext
    where TMessage : class
{
    private enum Outcome
    {
        Done,
        Duplicate,
        Held,
    }

    public void Probe(ProbeContext context)
    {
        var scope = context.CreateFilterScope("idempotentInbox");
        scope.Add("consumer", settings.Name);
        scope.Add("mode", settings.Mode.ToString());
    }

    public async Task Send(ConsumeContext<TMessage> context, IPipe<ConsumeContext<TMessage>> next)
    {
        var identity = InboxMessageIdentity.From(context);
        using var activity = InboxDiagnostics.ActivitySource.StartActivity("inbox.consume");
        activity?.SetTag("inbox.consumer", settings.Name);
        activity?.SetTag("inbox.mode", settings.Mode.ToString());
        activity?.SetTag("inbox.message_key", identity.MessageKey);
        var scope = await scopes.GetScope(context).ConfigureAwait(false);
        await using var scopeLease = scope.ConfigureAwait(false);
        var db = scope.GetService<TDbContext>();
        var cancellationToken = context.CancellationToken;
        DateTimeOffset? waitDeadline = null;

        while (true)
        {
            db.ChangeTracker.Clear();
            var (outcome, leaseExpiresAt) = settings.Mode switch
            {
                InboxMode.Transactional => await RunTransactionalAsync(scope.Context, next, db, identity, consumed: null, cancellationToken).ConfigureAwait(false),
                InboxMode.SavedByInbox => await RunSavedByInboxAsync(scope.Context, next, db, identity, cancellationToken).ConfigureAwait(false),
                _ => await RunLeasedAsync(scope.Context, next, db, identity, cancellationToken).ConfigureAwait(false),
            };

            switch (outcome)
            {
                case Outcome.Done:
                    metrics.Consumed(settings.Name);
                    activity?.SetTag("inbox.outcome", "consumed");
                    return;
                case Outcome.Duplicate:
                    SkipDuplicate(identity);
                    activity?.SetTag("inbox.outcome", "duplicate");
                    return;
            }

            if (waitDeadline is null)
            {
                waitDeadline = time.GetUtcNow() + options.EffectiveLeaseWaitLimit;
                metrics.Deferred(settings.Name);
                Log.Deferred(logger, settings.Name, identity.MessageKey, leaseExpiresAt);
            }

            if (await WaitForLeaseAsync(db, identity, waitDeadline.Value, cancellationToken).ConfigureAwait(false))
            {
                SkipDuplicate(identity);
                activity?.SetTag("inbox.outcome", "duplicate");
                return;
            }
        }
    }

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
                        // This attempt's claim is there, so the batch committed and EF Core failed afterwards: the
                        // operation's update matched no row (it is gone, or the application's conventions gave it a
                        // concurrency token). Complete it through the SQL statement, which needs neither.
                        Log.SavedDespiteError(logger, settings.Name, identity.MessageKey, exception);
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
        }
        catch (Exception)
        {
            await ReleaseAsync(db, identity, token).ConfigureAwait(false);
            throw;
        }

        if (!db.ChangeTracker.HasChanges())
        {
            // Nothing of the consumer's to commit with the outcome: one statement, its own transaction.
            await CompleteLeasedAsync(db, identity, token, state, cancellationToken).ConfigureAwait(false);
            return (Outcome.Done, null);
        }

        var strategy = db.Database.CreateExecutionStrategy();
        return await strategy.ExecuteAsync(
            async cancel =>
            {
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

                return (Outcome.Done, (DateTimeOffset?)null);
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
            var entry = await InboxEntryStore.ReadStateAsync(db, settings.Name, identity.MessageKey, cancellationToken).ConfigureAwait(false);
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

    private InboxConsumeState Track(ConsumeContext<TMessage> context, InboxMessageIdentity identity, InboxClaimResult claim)
    {
        var state = new InboxConsumeState(
            settings.Name, identity, settings.Mode, claim.Attempt, claim.Kind == ClaimKind.Takeover, options.ResultSerializerOptions);
        context.AddOrUpdatePayload(() => state, _ => state);
        return state;
    }

    private InboxClaimRequest Request(InboxMessageIdentity identity, string claimToken, DateTimeOffset? leaseExpiresAt)
    {
        var now = time.GetUtcNow();
        var expiresAt = (identity.ExpiresAt ?? now + options.DefaultRetention) + options.RetentionGrace;
        return new InboxClaimRequest(
            settings.Name, identity.MessageKey, identity.OperationId, claimToken, now, expiresAt, now - options.LeaseSkewMargin, leaseExpiresAt);
    }

    private string? OperationToComplete(InboxMessageIdentity identity) => settings.OperationToComplete(identity);

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

    private void SkipDuplicate(InboxMessageIdentity identity)
    {
        metrics.DuplicateSkipped(settings.Name);
        Log.DuplicateSkipped(logger, settings.Name, identity.MessageKey);
    }

    private static readonly InboxClaimResult FreshClaim = new(Claimed: true, OperationStatus.Processing, Attempt: 1, ClaimKind.Fresh, LeaseExpiresAt: null);

    private static (Outcome, DateTimeOffset?) NotClaimed(InboxClaimResult claim) =>
        claim.Status == OperationStatus.Succeeded ? (Outcome.Duplicate, null) : (Outcome.Held, claim.LeaseExpiresAt);

    private static string NewToken() => Guid.NewGuid().ToString("N");
}
