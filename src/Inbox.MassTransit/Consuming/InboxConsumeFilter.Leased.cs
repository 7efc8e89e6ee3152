using Inbox.Claims;
using Inbox.MassTransit.Diagnostics;
using Inbox.Operations;
using Inbox.Stores;
using MassTransit;

namespace Inbox.MassTransit.Consuming;

/// <summary>Leased mode: a committed claim with a lease, the effect outside any transaction, then the outcome.</summary>
internal sealed partial class InboxConsumeFilter<TMessage>
{
    private async Task<InboxAttemptResult> RunLeasedAsync(
        ConsumeContext<TMessage> context, IPipe<ConsumeContext<TMessage>> next, IInboxEntryStore store, InboxMessageIdentity identity,
        CancellationToken cancellationToken)
    {
        var token = NewToken();
        var request = Request(identity, token, time.GetUtcNow() + options.LeaseDuration) with { StartsOperationId = OperationToComplete(identity) };
        var claim = await store.ClaimAsync(request, cancellationToken).ConfigureAwait(false);
        if (!claim.Claimed)
        {
            return InboxAttemptResult.NotClaimed(claim);
        }

        if (context.TryGetPayload<HeldClaims>(out var held))
        {
            held.Held(settings.Name, token);
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
            var outcome = new LeasedOutcome(settings.Name, identity.MessageKey, token, state.ResultJson, OperationToComplete(identity), time.GetUtcNow());
            if (!await store.CompleteLeasedAsync(outcome, cancellationToken).ConfigureAwait(false))
            {
                Log.LeaseLost(logger, settings.Name, identity.MessageKey);
            }
        }
        catch (Exception)
        {
            // The consumer threw or its outcome was not recorded: give the claim back so the retry claims at once rather
            // than wait out this delivery's own lease. After a completion that did commit, the release matches no row.
            await ReleaseAsync(store, identity, token).ConfigureAwait(false);
            throw;
        }

        return InboxAttemptResult.Done;
    }

    /// <summary>
    /// Waits while another delivery holds a live lease. Returns the entry when that delivery succeeded, and
    /// <see langword="null"/> when the message may be claimed again.
    /// </summary>
    private async Task<InboxClaimResult?> WaitForLeaseAsync(IInboxEntryStore store, InboxMessageIdentity identity, DateTimeOffset deadline, CancellationToken cancellationToken)
    {
        var pause = TimeSpan.FromMilliseconds(50);
        while (true)
        {
            var entry = await store.ReadClaimAsync(settings.Name, identity.MessageKey, claimToken: string.Empty, cancellationToken).ConfigureAwait(false);
            var now = time.GetUtcNow();
            if (entry is not { } found || found.Status == OperationStatus.Failed)
            {
                return null;
            }

            if (found.Status == OperationStatus.Succeeded)
            {
                return found;
            }

            var takeoverAt = (found.LeaseExpiresAt ?? now) + options.LeaseSkewMargin;
            if (takeoverAt <= now)
            {
                return null;
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

    private async Task ReleaseAsync(IInboxEntryStore store, InboxMessageIdentity identity, string token)
    {
        try
        {
            await store.ReleaseAttemptAsync(settings.Name, identity.MessageKey, token, time.GetUtcNow(), CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception exception)
        {
            Log.ReleaseFailed(logger, settings.Name, identity.MessageKey, exception);
        }
    }
}
