using Inbox.AspNetCore.Responses;
using Inbox.Operations;
using Inbox.Stores;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Inbox.AspNetCore.Status;

/// <summary>
/// <c>GET .../operations/{id}</c>: the operation of the caller's tenant, or one 404 for unknown, expired and other
/// tenants' operations alike, so an id reveals nothing about operations the caller cannot see.
/// </summary>
internal sealed class OperationStatusEndpoint(
    IOptions<IdempotencyOptions> options, IInboxResponseWriter writer, TimeProvider time, ILogger<OperationStatusEndpoint> logger)
{
    public const string Name = "Inbox.OperationStatus";

    private static readonly InboxError NotFound = new(
        StatusCodes.Status404NotFound, InboxErrorCodes.OperationNotFound, "No operation with this id was found.");

    public async Task HandleAsync(HttpContext context)
    {
        var id = context.GetRouteValue("id") as string;
        if (id is null || !RandomIds.IsOperationId(id))
        {
            await writer.WriteErrorAsync(context, NotFound).ConfigureAwait(false);
            return;
        }

        var tenant = await TenantUnresolved.ResolveOrRefuseAsync(context, writer, logger, context.GetEndpoint()?.DisplayName ?? Name).ConfigureAwait(false);
        if (tenant is null)
        {
            return;
        }

        var store = context.RequestServices.GetRequiredService<IOperationStore>();
        OperationRecord? operation;
        try
        {
            operation = await store.FindAsync(tenant, id, time.GetUtcNow(), context.RequestAborted).ConfigureAwait(false);
        }
        catch (InboxStoreUnavailableException exception) when (!context.RequestAborted.IsCancellationRequested)
        {
            await StoreUnavailable.WriteAsync(context, writer, options.Value, policy: null, logger, exception).ConfigureAwait(false);
            return;
        }

        if (operation is null)
        {
            await writer.WriteErrorAsync(context, NotFound).ConfigureAwait(false);
            return;
        }

        var body = writer.FormatOperation(operation, context.GetInboxRequestId());
        var response = context.Response;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = writer.ContentType;
        response.Headers.CacheControl = "no-store";
        if (!operation.Status.IsTerminal())
        {
            response.Headers.RetryAfter = RetryAfter.Seconds(options.Value.RetryAfter);
        }

        response.ContentLength = body.Length;
        await response.Body.WriteAsync(body, context.RequestAborted).ConfigureAwait(false);
    }
}
