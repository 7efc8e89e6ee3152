using Inbox.Claims;
using Inbox.Operations;
using Inbox.Stores;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Inbox.AspNetCore.Synchronous;

/// <summary>
/// One synchronous request's claim on its operation: made once, just before the handler runs (by the endpoint or
/// action filter, or by the middleware for an endpoint without one), then completed with the captured response,
/// released, or rolled back. Read by <c>HttpContext.GetDownstreamKey</c>.
/// </summary>
internal sealed class SynchronousExchange(
    IIdempotencyFeature feature,
    IdempotencyMode mode,
    IdempotencyOptions settings,
    SynchronousRequests requests)
{
    private Task<bool>? _claim;
    private string? _claimToken;

    /// <summary>The operation this request holds; <see langword="null"/> until it holds one.</summary>
    public string? OperationId { get; private set; }

    /// <summary>Whether this request holds the operation: its response is to be stored (or the claim let go).</summary>
    public bool Holds => _claimToken is not null;

    public IdempotencyMode Mode => mode;

    public IIdempotencyFeature Feature => feature;

    /// <summary>
    /// Claims the operation, once however often it is called. Returns whether the handler is to run; when not, the
    /// answer (the replay, the mismatch, the key in use, the store unavailable) is written.
    /// </summary>
    public Task<bool> ClaimAsync(HttpContext context) => _claim ??= ClaimCoreAsync(context);

    /// <summary>The captured response is too large to store: the key is let go before the first byte is sent.</summary>
    public async Task LetGoAsync(HttpContext context, bool keepWrites)
    {
        if (!Holds)
        {
            return;
        }

        requests.ResponseTooLarge(feature.Endpoint);
        await ReleaseAsync(context, keepWrites).ConfigureAwait(false);
    }

    /// <summary>Stores the response (when the policy stores its status) and commits, or lets the claim go.</summary>
    public async Task CompleteAsync(HttpContext context, StoredResponse response)
    {
        if (!Holds)
        {
            return;
        }

        var now = requests.Now();
        var token = _claimToken!;
        _claimToken = null;
        if (mode == IdempotencyMode.Transactional)
        {
            await context.RequestServices.GetRequiredService<IOperationUnitOfWork>()
                .CompleteAsync(response, now, context.RequestAborted).ConfigureAwait(false);
        }
        else if (!await Store(context).CompleteAsync(OperationId!, token, response, now, CancellationToken.None).ConfigureAwait(false))
        {
            requests.LeaseLost(OperationId!, feature.Endpoint);
            return;
        }

        requests.Completed(OperationId!, feature.Endpoint);
    }

    /// <summary>Lets the claim go (the status is not stored, or the handler threw): the next retry runs the handler again.</summary>
    public Task ReleaseAsync(HttpContext context) => ReleaseAsync(context, keepWrites: false);

    private async Task ReleaseAsync(HttpContext context, bool keepWrites)
    {
        if (!Holds)
        {
            return;
        }

        var token = _claimToken!;
        _claimToken = null;
        if (mode == IdempotencyMode.Transactional)
        {
            var unitOfWork = context.RequestServices.GetRequiredService<IOperationUnitOfWork>();
            if (keepWrites)
            {
                await unitOfWork.CompleteAsync(response: null, requests.Now(), context.RequestAborted).ConfigureAwait(false);
            }
            else
            {
                await unitOfWork.RollbackAsync(CancellationToken.None).ConfigureAwait(false);
            }
        }
        else
        {
            // The request's abort must not keep the key held until the lease expires.
            await Store(context).ReleaseAsync(OperationId!, token, CancellationToken.None).ConfigureAwait(false);
        }

        requests.Released(OperationId!, feature.Endpoint);
    }

    private async Task<bool> ClaimCoreAsync(HttpContext context)
    {
        var now = requests.Now();
        var policy = feature.Policy;
        var token = Guid.NewGuid().ToString("N");
        var request = new OperationClaimRequest
        {
            Id = RandomIds.NewOperationId(),
            Scope = feature.Scope,
            IdempotencyKey = feature.IdempotencyKey,
            Fingerprint = feature.Fingerprint,
            RequestId = context.GetInboxRequestId(),
            ClaimToken = token,
            Now = now,
            ExpiresAt = now + policy.Retention,
            TakeoverBefore = now - settings.LeaseSkewMargin,
            LeaseExpiresAt = mode == IdempotencyMode.Leased ? now + policy.LeaseDuration : null,
        };

        OperationClaim claim;
        using (var inUse = new CancellationTokenSource(settings.InUseTimeout, requests.Time))
        using (var linked = CancellationTokenSource.CreateLinkedTokenSource(inUse.Token, context.RequestAborted))
        {
            try
            {
                claim = mode != IdempotencyMode.Transactional
                    ? await Store(context).ClaimAsync(request, settings.InUseTimeout, linked.Token).ConfigureAwait(false)
                    : (policy.ReadBeforeTransactionalClaim ? await Store(context).FindAsync(request, linked.Token).ConfigureAwait(false) : null)
                        ?? await context.RequestServices.GetRequiredService<IOperationUnitOfWork>()
                            .ClaimAsync(request, settings.InUseTimeout, linked.Token).ConfigureAwait(false);
            }
            catch (InboxStoreUnavailableException exception) when (!context.RequestAborted.IsCancellationRequested)
            {
                await requests.WriteStoreUnavailableAsync(context, feature, exception).ConfigureAwait(false);
                return false;
            }
            catch (Exception exception) when (
                !context.RequestAborted.IsCancellationRequested && (exception is TimeoutException || inUse.IsCancellationRequested))
            {
                if (feature.IdempotencyKey is null)
                {
                    // No key, so nothing can be in use: the wait was on the database itself (a lock, the connection pool).
                    await requests.WriteStoreUnavailableAsync(context, feature, new InboxStoreUnavailableException("The claim waited too long on the database.", exception))
                        .ConfigureAwait(false);
                    return false;
                }

                await requests.WriteInUseAsync(context, feature, settings.RetryAfter).ConfigureAwait(false);
                return false;
            }
        }

        OperationId = claim.OperationId;
        if (claim.Outcome == OperationClaimOutcome.Claimed)
        {
            _claimToken = token;
            requests.Claimed(claim.OperationId, feature.Endpoint, claim.Kind);
            return true;
        }

        if (!claim.Fingerprint.AsSpan().SequenceEqual(feature.Fingerprint))
        {
            await requests.WriteMismatchAsync(context, claim.OperationId, feature).ConfigureAwait(false);
            return false;
        }

        if (claim.Outcome == OperationClaimOutcome.Completed)
        {
            await requests.WriteReplayAsync(context, claim.OperationId, feature.Endpoint, claim.Response!).ConfigureAwait(false);
            return false;
        }

        // Held by another request's live lease: it answers when it completes, or its lease expires and a retry runs.
        var retryAfter = claim.LeaseExpiresAt is { } lease
            ? TimeSpan.FromSeconds(Math.Max(settings.RetryAfter.TotalSeconds, Math.Ceiling((lease + settings.LeaseSkewMargin - now).TotalSeconds)))
            : settings.RetryAfter;
        await requests.WriteInUseAsync(context, feature, retryAfter).ConfigureAwait(false);
        return false;
    }

    private static IOperationClaimStore Store(HttpContext context) =>
        context.RequestServices.GetService<IOperationClaimStore>() ?? throw new InvalidOperationException(
            "A leased synchronous endpoint needs an IOperationClaimStore: add a store, e.g. AddIdempotency().UseEntityFrameworkCore<TDbContext>().");
}
