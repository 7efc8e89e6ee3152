using Inbox.AspNetCore.Synchronous;
using Inbox.Operations;
using Microsoft.AspNetCore.Http;

namespace Inbox.AspNetCore;

/// <summary>The handler's side of a synchronous idempotent endpoint.</summary>
public static class InboxHttpContextExtensions
{
    /// <summary>
    /// The stable key to send downstream for <paramref name="effect"/> (e.g. as the payer's <c>Idempotency-Key</c>):
    /// derived from the request's operation and the effect's name, so it is the same on every attempt with the same
    /// idempotency key (a leased endpoint runs again after a crash with it) and different for every other effect or
    /// operation. Available once the operation is claimed, that is in the handler of a synchronous endpoint.
    /// </summary>
    /// <exception cref="InvalidOperationException">The request is not a claimed synchronous request.</exception>
    public static string GetDownstreamKey(this HttpContext context, string effect)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentException.ThrowIfNullOrWhiteSpace(effect);
        var operationId = context.Features.Get<SynchronousExchange>() is { Holds: true } exchange ? exchange.OperationId : null;
        return operationId is null
            ? throw new InvalidOperationException(
                "GetDownstreamKey needs a synchronous idempotent endpoint (WithIdempotency(IdempotencyMode.Leased) or Transactional) whose operation is claimed: call it from the handler.")
            : RandomIds.Derive("dk_", $"{operationId}\n{effect}");
    }
}
