using Inbox.AspNetCore.Diagnostics;
using Inbox.AspNetCore.Responses;
using Inbox.Claims;
using Inbox.Operations;
using Inbox.Stores;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Inbox.AspNetCore.Synchronous;

/// <summary>
/// Runs opted-in endpoints that write their own response: the response is held as it is written, the operation is
/// claimed before the handler runs, and once the handler is done the response is stored (or the claim let go) before
/// the first byte is sent, so every retry gets the response the first request got.
/// </summary>
internal sealed class SynchronousRequests(
    IOptions<IdempotencyOptions> options,
    IInboxResponseWriter writer,
    TimeProvider time,
    HttpMetrics metrics,
    ILogger<SynchronousRequests> logger)
{
    public TimeProvider Time => time;

    /// <summary>The clock in whole milliseconds: what every provider stores exactly.</summary>
    public DateTimeOffset Now()
    {
        var now = time.GetUtcNow();
        return now.AddTicks(-(now.Ticks % TimeSpan.TicksPerMillisecond));
    }

    public async Task RunAsync(HttpContext context, IIdempotencyFeature feature, IdempotencyMode mode, bool claimsInFilter, RequestDelegate next)
    {
        var settings = options.Value;
        var exchange = new SynchronousExchange(feature, mode, settings, this);
        context.Features.Set(exchange);
        try
        {
            if (mode == IdempotencyMode.Transactional)
            {
                var unitOfWork = context.RequestServices.GetService<IOperationUnitOfWork>() ?? throw new InvalidOperationException(
                    "A transactional synchronous endpoint needs an IOperationUnitOfWork: add the EF Core store with AddIdempotency().UseEntityFrameworkCore<TDbContext>().");
                await unitOfWork.RunAsync(_ => RunCoreAsync(context, exchange, claimsInFilter, next, settings), context.RequestAborted).ConfigureAwait(false);
            }
            else
            {
                await RunCoreAsync(context, exchange, claimsInFilter, next, settings).ConfigureAwait(false);
            }
        }
        catch (InboxStoreUnavailableException exception) when (!context.RequestAborted.IsCancellationRequested && !context.Response.HasStarted)
        {
            // Nothing of the handler's response was sent: the client retries with the same key.
            context.Response.Clear();
            await WriteStoreUnavailableAsync(context, feature, exception).ConfigureAwait(false);
        }
    }

    public Task WriteInUseAsync(HttpContext context, IIdempotencyFeature feature, TimeSpan retryAfter)
    {
        metrics.InUse(feature.Endpoint);
        Log.InUse(logger, feature.Endpoint, options.Value.InUseTimeout);
        context.Response.Headers.RetryAfter = RetryAfter.Seconds(retryAfter);
        return writer.WriteErrorAsync(context, feature.Policy, new InboxError(
            StatusCodes.Status409Conflict,
            InboxErrorCodes.IdempotencyKeyInUse,
            "Another request with this idempotency key is still being processed; retry after the Retry-After interval."));
    }

    public Task WriteStoreUnavailableAsync(HttpContext context, IIdempotencyFeature feature, InboxStoreUnavailableException exception) =>
        StoreUnavailable.WriteAsync(context, writer, options.Value, feature.Policy, logger, exception);

    public Task WriteMismatchAsync(HttpContext context, string operationId, IIdempotencyFeature feature)
    {
        metrics.Mismatched(feature.Endpoint);
        Log.Mismatched(logger, operationId, feature.Endpoint);
        return writer.WriteErrorAsync(context, feature.Policy, new InboxError(
            options.Value.MismatchStatusCode,
            InboxErrorCodes.IdempotencyKeyMismatchedBody,
            "This idempotency key was already used with a different request body; use a new key for a new operation."));
    }

    public Task WriteReplayAsync(HttpContext context, string operationId, string endpoint, StoredResponse response)
    {
        metrics.Replayed(endpoint);
        Log.Replayed(logger, operationId, endpoint);
        return StoredResponseWriter.WriteAsync(context, response, replayed: true);
    }

    public void Claimed(string operationId, string endpoint, ClaimKind kind) => Log.Claimed(logger, operationId, endpoint, kind.ToString());

    public void Completed(string operationId, string endpoint)
    {
        metrics.Accepted(endpoint);
        Log.ResponseStored(logger, operationId, endpoint);
    }

    public void Released(string operationId, string endpoint) => Log.ClaimReleased(logger, operationId, endpoint);

    public void LeaseLost(string operationId, string endpoint) => Log.LeaseLost(logger, operationId, endpoint);

    public void ResponseTooLarge(string endpoint) => Log.ResponseTooLarge(logger, endpoint, options.Value.MaxResponseSize);

    private async Task RunCoreAsync(HttpContext context, SynchronousExchange exchange, bool claimsInFilter, RequestDelegate next, IdempotencyOptions settings)
    {
        var original = context.Features.GetRequiredFeature<IHttpResponseBodyFeature>();
        using var capture = new ResponseCaptureStream(original.Stream, settings.MaxResponseSize, () => LetGoAsync(context, exchange));
        var capturing = new StreamResponseBodyFeature(capture, original);
        context.Features.Set<IHttpResponseBodyFeature>(capturing);
        try
        {
            // An endpoint without the claim filter (a minimal API handler opted in by attribute only) claims here,
            // before its parameters are bound.
            if (claimsInFilter || await exchange.ClaimAsync(context).ConfigureAwait(false))
            {
                await next(context).ConfigureAwait(false);
            }

            // Flushes what the handler left in the body's pipe writer into the capture.
            await capturing.CompleteAsync().ConfigureAwait(false);
        }
        catch (Exception exception)
        {
            context.Features.Set(original);
            await ReleaseAfterFailureAsync(context, exchange, exception).ConfigureAwait(false);
            throw;
        }
        finally
        {
            context.Features.Set(original);
        }

        if (capture.PassingThrough)
        {
            return;
        }

        var response = context.Response;
        if (exchange.Holds)
        {
            if (exchange.Feature.Policy.StoresResponse(response.StatusCode))
            {
                await exchange.CompleteAsync(context, new StoredResponse(response.StatusCode, StoredHeaders(response.Headers, settings), capture.ToArray()))
                    .ConfigureAwait(false);
            }
            else
            {
                await exchange.ReleaseAsync(context).ConfigureAwait(false);
            }
        }

        if (response.ContentLength is null && !response.Headers.ContainsKey("Transfer-Encoding"))
        {
            response.ContentLength = capture.CapturedLength;
        }

        await capture.SendHeldAsync(context.RequestAborted).ConfigureAwait(false);
    }

    // The body outgrew MaxResponseSize while the handler wrote it: the key is let go before the first byte is sent.
    // A transactional handler's writes commit without the operation when its status is one the policy stores (the
    // client is about to see that answer); otherwise they roll back, as for any response that is not stored.
    private Task LetGoAsync(HttpContext context, SynchronousExchange exchange) =>
        exchange.LetGoAsync(context, keepWrites: exchange.Feature.Policy.StoresResponse(context.Response.StatusCode));

    private async Task ReleaseAfterFailureAsync(HttpContext context, SynchronousExchange exchange, Exception failure)
    {
        try
        {
            await exchange.ReleaseAsync(context).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is InboxStoreUnavailableException or OperationCanceledException)
        {
            // The handler's own failure is what the caller sees.
            _ = failure;
            Log.ReleaseFailed(logger, exchange.OperationId, exception);
        }
    }

    private static List<KeyValuePair<string, string>> StoredHeaders(IHeaderDictionary headers, IdempotencyOptions settings)
    {
        var stored = new List<KeyValuePair<string, string>>();
        foreach (var (name, values) in headers)
        {
            if (!settings.StoredResponseHeaders.Contains(name))
            {
                continue;
            }

            foreach (var value in values)
            {
                if (value is not null)
                {
                    stored.Add(new(name, value));
                }
            }
        }

        return stored;
    }
}
