using Microsoft.AspNetCore.Http;

namespace Inbox.AspNetCore.Synchronous;

/// <summary>
/// Claims a synchronous endpoint's operation once its parameters are bound and validated (filters added before this
/// one, and the framework's validation, run first), just before the handler runs. Endpoints in accept mode pass
/// straight through.
/// </summary>
internal static class IdempotencyEndpointFilter
{
    public static EndpointFilterDelegate Create(EndpointFilterFactoryContext factoryContext, EndpointFilterDelegate next) =>
        async invocation =>
        {
            if (invocation.HttpContext.Features.Get<SynchronousExchange>() is { } exchange
                && !await exchange.ClaimAsync(invocation.HttpContext).ConfigureAwait(false))
            {
                // The claim answered (a replay, a mismatch, the key in use): the handler does not run.
                return Results.Empty;
            }

            return await next(invocation).ConfigureAwait(false);
        };
}
