using System.Collections.Concurrent;
using Inbox.AspNetCore.Diagnostics;
using Inbox.AspNetCore.Responses;
using Inbox.AspNetCore.Status;
using Inbox.Diagnostics;
using Inbox.Operations;
using Inbox.Publishing;
using Inbox.Stores;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Inbox.AspNetCore.Accepting;

/// <summary>
/// Accepts an operation: one round trip that stores it or finds the live one with the same key, then the publish
/// (first acceptance only), then the 202 — or the replay, the mismatch or the in-use answer.
/// </summary>
internal sealed class OperationAcceptor(
    IOptions<IdempotencyOptions> options,
    IInboxResponseWriter writer,
    LinkGenerator links,
    TimeProvider time,
    AcceptancePublisher publisher,
    HttpMetrics metrics,
    ILogger<OperationAcceptor> logger)
{
    private static readonly string[] ReplayedHeaderNames = ["Location", IdempotencyDefaults.OperationLocationHeaderName, "Retry-After", "Content-Type"];

    private readonly ConcurrentDictionary<Type, bool> _reportedMessageTypes = new();

    public async Task AcceptAsync(HttpContext context, object message, Type messageType)
    {
        var feature = context.Features.Get<IIdempotencyFeature>() ?? throw new InvalidOperationException(
            "InboxResults.Accept needs an endpoint opted in with WithIdempotency() (or [Idempotent]) and app.UseIdempotency() " +
            "after UseAuthentication/UseAuthorization.");
        var settings = options.Value;
        ReportIfRelayCannotRepublish(messageType);
        using var activity = InboxDiagnostics.ActivitySource.StartActivity("inbox.accept");
        activity?.SetTag("inbox.endpoint", feature.Endpoint);

        // Whole milliseconds: what every provider stores exactly and what the status endpoint shows.
        var now = time.GetUtcNow();
        now = now.AddTicks(-(now.Ticks % TimeSpan.TicksPerMillisecond));
        var operationId = RandomIds.NewOperationId();
        var requestId = context.GetInboxRequestId();
        var operation = new NewOperation
        {
            Id = operationId,
            Scope = feature.Scope,
            IdempotencyKey = feature.IdempotencyKey,
            Fingerprint = feature.Fingerprint,
            RequestId = requestId,
            Response = BuildAcceptance(context, operationId, requestId, settings),
            MessageType = MessageTypeNames.Of(messageType),
            MessageBody = MessageSerializer.Serialize(message, messageType),
            CreatedAt = now,
            ExpiresAt = now + feature.Policy.Retention,
        };

        var store = context.RequestServices.GetRequiredService<IOperationStore>();
        AcceptOutcome outcome;
        using (var inUse = new CancellationTokenSource(settings.InUseTimeout, time))
        using (var linked = CancellationTokenSource.CreateLinkedTokenSource(inUse.Token, context.RequestAborted))
        {
            try
            {
                outcome = await store.AcceptAsync(operation, settings.InUseTimeout, linked.Token).ConfigureAwait(false);
            }
            catch (InboxStoreUnavailableException exception) when (!context.RequestAborted.IsCancellationRequested)
            {
                await StoreUnavailable.WriteAsync(context, writer, settings, feature.Policy, logger, exception).ConfigureAwait(false);
                return;
            }
            catch (Exception exception) when (
                !context.RequestAborted.IsCancellationRequested && (exception is TimeoutException || inUse.IsCancellationRequested))
            {
                if (feature.IdempotencyKey is null)
                {
                    // No key, so nothing can be in use: the wait was on the database itself (a lock, the connection pool).
                    await StoreUnavailable.WriteAsync(context, writer, settings, feature.Policy, logger, exception).ConfigureAwait(false);
                    return;
                }

                metrics.InUse(feature.Endpoint);
                Log.InUse(logger, feature.Endpoint, settings.InUseTimeout);
                context.Response.Headers.RetryAfter = RetryAfter.Seconds(settings.RetryAfter);
                await writer.WriteErrorAsync(context, feature.Policy, new InboxError(
                    StatusCodes.Status409Conflict,
                    InboxErrorCodes.IdempotencyKeyInUse,
                    "Another request with this idempotency key is still being accepted; retry after the Retry-After interval.")).ConfigureAwait(false);
                return;
            }
        }

        activity?.SetTag("inbox.operation_id", outcome.OperationId);
        if (outcome.Kind == AcceptOutcomeKind.Created)
        {
            metrics.Accepted(feature.Endpoint);
            Log.Accepted(logger, operationId, feature.Endpoint);
            var publication = new OperationPublication
            {
                OperationId = operation.Id,
                Scope = operation.Scope,
                IdempotencyKey = operation.IdempotencyKey,
                ExpiresAt = operation.ExpiresAt,
                Message = message,
                MessageType = messageType,
            };
            if (!publisher.TryDispatch(publication))
            {
                await publisher.PublishAsync(context.RequestServices, publication).ConfigureAwait(false);
            }

            await StoredResponseWriter.WriteAsync(context, outcome.Response, replayed: false, ReplayedHeaderNames).ConfigureAwait(false);
            return;
        }

        if (outcome.Fingerprint.AsSpan().SequenceEqual(feature.Fingerprint))
        {
            metrics.Replayed(feature.Endpoint);
            Log.Replayed(logger, outcome.OperationId, feature.Endpoint);
            await StoredResponseWriter.WriteAsync(context, outcome.Response, replayed: true, ReplayedHeaderNames).ConfigureAwait(false);
            return;
        }

        metrics.Mismatched(feature.Endpoint);
        Log.Mismatched(logger, outcome.OperationId, feature.Endpoint);
        await writer.WriteErrorAsync(context, feature.Policy, new InboxError(
            settings.MismatchStatusCode,
            InboxErrorCodes.IdempotencyKeyMismatchedBody,
            "This idempotency key was already used with a different request body; use a new key for a new operation.")).ConfigureAwait(false);
    }

    // A type no endpoint names escapes the start-up check. Refusing its requests would turn a relay risk into an outage
    // (and an answer the client cannot fix), so it is accepted and reported once; the check itself is cached per type.
    private void ReportIfRelayCannotRepublish(Type messageType)
    {
        if (MessageSerializer.CheckRoundTrip(messageType) is { } problem && _reportedMessageTypes.TryAdd(messageType, true))
        {
            Log.MessageTypeCannotRoundTrip(logger, messageType.FullName, problem.Member, problem.Reason);
        }
    }

    private StoredResponse BuildAcceptance(HttpContext context, string operationId, string requestId, IdempotencyOptions settings)
    {
        var statusUrl = links.GetPathByName(context, OperationStatusEndpoint.Name, new RouteValueDictionary { ["id"] = operationId })
            ?? throw new InvalidOperationException("Map the operation status endpoint with app.MapOperationStatus(...) before accepting operations.");
        var body = writer.FormatAcceptance(new OperationAcceptance(operationId, statusUrl, requestId));
        return new StoredResponse(
            StatusCodes.Status202Accepted,
            [
                new("Location", statusUrl),
                new(IdempotencyDefaults.OperationLocationHeaderName, statusUrl),
                new("Retry-After", RetryAfter.Seconds(settings.RetryAfter)),
                new("Content-Type", writer.ContentType),
            ],
            body);
    }
}
