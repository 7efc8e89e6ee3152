using Inbox.Claims;
using Inbox.MassTransit.Diagnostics;
using Inbox.Stores;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Inbox.MassTransit.Consuming;

/// <summary>
/// Sits outside the consumer's retries: when they are exhausted, records the failure (the operation becomes
/// <c>failed</c> with an error code and message, a leased entry is released for a redrive) and lets the message go
/// to the error queue. A store that still cannot answer is not the operation's failure: nothing is recorded, and the
/// relay republishes the unfinished operation.
/// </summary>
internal sealed class InboxFaultFilter<TMessage>(
    IServiceScopeFactory scopes,
    ConsumerInboxSettings settings,
    IdempotentInboxOptions options,
    StoreErrors storeErrors,
    TimeProvider time,
    ConsumerMetrics metrics,
    ILogger logger) : IFilter<ConsumeContext<TMessage>>
    where TMessage : class
{
    public const string ProcessingFailed = "processing_failed";

    public void Probe(ProbeContext context) => context.CreateFilterScope("idempotentInboxFailures");

    public async Task Send(ConsumeContext<TMessage> context, IPipe<ConsumeContext<TMessage>> next)
    {
        var held = context.GetOrAddPayload(static () => new HeldClaims());
        try
        {
            await next.Send(context).ConfigureAwait(false);
        }
        catch (Exception exception) when (storeErrors.IsTransient(exception))
        {
            if (InboxMessageIdentity.TryFrom(context) is { } identity)
            {
                Log.StoreUnavailable(logger, settings.Name, identity.MessageKey, exception);
            }

            throw;
        }
        catch (Exception exception) when (ShouldRecord(context, exception))
        {
            await RecordAsync(context, held.TokenOf(settings.Name), exception).ConfigureAwait(false);
            throw;
        }
    }

    private static bool ShouldRecord(ConsumeContext context, Exception exception) =>
        exception is not InboxLeaseHeldException &&
        !(exception is OperationCanceledException && context.CancellationToken.IsCancellationRequested);

    private async Task RecordAsync(ConsumeContext<TMessage> context, string? heldToken, Exception exception)
    {
        if (InboxMessageIdentity.TryFrom(context) is not { } identity)
        {
            return;
        }

        var (code, message) = exception is OperationFailedException failed
            ? (failed.Code, failed.Message)
            : (ProcessingFailed, $"Processing failed and its retries are exhausted ({exception.GetType().Name}).");
        try
        {
            var now = time.GetUtcNow();
            var scope = scopes.CreateAsyncScope();
            await using var scopeLease = scope.ConfigureAwait(false);
            var store = scope.ServiceProvider.GetRequiredService<IInboxEntryStore>();
            await store.RecordFailureAsync(
                new InboxFailure(settings.Name, identity.MessageKey, heldToken, settings.OperationToComplete(identity), code, message, now, now - options.LeaseSkewMargin),
                CancellationToken.None).ConfigureAwait(false);
            metrics.FailureRecorded(settings.Name);
            Log.FailureRecorded(logger, settings.Name, identity.MessageKey, code, exception);
        }
        catch (Exception recordError)
        {
            Log.FailureNotRecorded(logger, settings.Name, identity.MessageKey, recordError);
        }
    }
}
