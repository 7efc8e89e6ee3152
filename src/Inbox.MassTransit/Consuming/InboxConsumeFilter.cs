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
internal sealed partial class InboxConsumeFilter<TDbContext, TMessage>(
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

    private void SkipDuplicate(InboxMessageIdentity identity)
    {
        metrics.DuplicateSkipped(settings.Name);
        Log.DuplicateSkipped(logger, settings.Name, identity.MessageKey);
    }

    private static (Outcome, DateTimeOffset?) NotClaimed(InboxClaimResult claim) =>
        claim.Status == OperationStatus.Succeeded ? (Outcome.Duplicate, null) : (Outcome.Held, claim.LeaseExpiresAt);

    private static string NewToken() => Guid.NewGuid().ToString("N");
}
