using Inbox.Claims;
using Inbox.Diagnostics;
using Inbox.MassTransit.Diagnostics;
using Inbox.Stores;
using MassTransit;
using MassTransit.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Inbox.MassTransit.Consuming;

/// <summary>
/// Runs one consumer's message at most once per deduplication key, in the consumer's mode, through the store the
/// message's scope resolves: Core's <see cref="IInboxEntryStore"/> for leased consumers, and the store's
/// <see cref="IInboxUnitOfWork"/> for those whose writes commit with the claim. Sits inside the retry, so every
/// attempt is a fresh claim (and, in the transactional modes, a fresh transaction).
/// </summary>
internal sealed partial class InboxConsumeFilter<TMessage>(
    IConsumeScopeProvider scopes,
    ConsumerInboxSettings settings,
    IdempotentInboxOptions options,
    TimeProvider time,
    ConsumerMetrics metrics,
    ILogger logger) : IFilter<ConsumeContext<TMessage>>
    where TMessage : class
{
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
        // Resolved on first use: the transactional modes need it only for a duplicate or a held lease.
        IInboxEntryStore? resolvedStore = null;
        IInboxEntryStore Store() => resolvedStore ??= Required<IInboxEntryStore>(scope);
        var cancellationToken = context.CancellationToken;
        DateTimeOffset? waitDeadline = null;

        while (true)
        {
            var result = settings.Mode switch
            {
                InboxMode.Transactional => await Required<IInboxUnitOfWork>(scope)
                    .RunTransactionalAsync(Attempt(scope.Context, next, identity), cancellationToken).ConfigureAwait(false),
                InboxMode.SavedByInbox => await Required<IInboxUnitOfWork>(scope)
                    .RunSavedByInboxAsync(Attempt(scope.Context, next, identity), cancellationToken).ConfigureAwait(false),
                _ => await RunLeasedAsync(scope.Context, next, Store(), identity, cancellationToken).ConfigureAwait(false),
            };

            switch (result.Outcome)
            {
                case InboxAttemptOutcome.Done:
                    metrics.Consumed(settings.Name);
                    activity?.SetTag("inbox.outcome", "consumed");
                    return;
                case InboxAttemptOutcome.Duplicate:
                    await SkipDuplicateAsync(Store, identity, result.OperationUnfinished, cancellationToken).ConfigureAwait(false);
                    activity?.SetTag("inbox.outcome", "duplicate");
                    return;
            }

            if (waitDeadline is null)
            {
                waitDeadline = time.GetUtcNow() + options.EffectiveLeaseWaitLimit;
                metrics.Deferred(settings.Name);
                Log.Deferred(logger, settings.Name, identity.MessageKey, result.LeaseExpiresAt);
            }

            if (await WaitForLeaseAsync(Store(), identity, waitDeadline.Value, cancellationToken).ConfigureAwait(false) is { } succeeded)
            {
                await SkipDuplicateAsync(Store, identity, succeeded.OperationUnfinished, cancellationToken).ConfigureAwait(false);
                activity?.SetTag("inbox.outcome", "duplicate");
                return;
            }
        }
    }

    /// <summary>The attempt a unit of work runs: fresh claims for this message, and the consumer behind the claim it holds.</summary>
    private InboxAttempt Attempt(ConsumeContext<TMessage> context, IPipe<ConsumeContext<TMessage>> next, InboxMessageIdentity identity) =>
        new(
            settings.Name,
            identity.MessageKey,
            OperationToComplete(identity),
            () => Request(identity, NewToken(), leaseExpiresAt: null),
            async (claim, _) =>
            {
                var state = Track(context, identity, claim);
                await next.Send(context).ConfigureAwait(false);
                return state.ResultJson;
            });

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
    /// Skips a message that already ran; when its succeeded entry's operation was left unfinished (its completion was
    /// lost), completes the operation with the entry's result first.
    /// </summary>
    private async Task SkipDuplicateAsync(Func<IInboxEntryStore> store, InboxMessageIdentity identity, bool operationUnfinished, CancellationToken cancellationToken)
    {
        if (operationUnfinished && OperationToComplete(identity) is { } operationId
            && await store().CompleteOperationAsync(settings.Name, identity.MessageKey, operationId, time.GetUtcNow(), cancellationToken).ConfigureAwait(false))
        {
            Log.OperationRepaired(logger, settings.Name, identity.MessageKey);
        }

        metrics.DuplicateSkipped(settings.Name);
        Log.DuplicateSkipped(logger, settings.Name, identity.MessageKey);
    }

    private T Required<T>(IConsumeScopeContext<TMessage> scope)
        where T : class =>
        scope.GetService<T>() ?? throw new InvalidOperationException(
            $"{settings.Name} runs in InboxMode.{settings.Mode}, which needs an {typeof(T).Name} in the message's scope: " +
            "register a store with services.AddInbox().UseEntityFrameworkCore<TDbContext>().");

    private static string NewToken() => Guid.NewGuid().ToString("N");
}
