using Inbox.AspNetCore.Responses;
using Inbox.Operating;
using Inbox.Operations;
using Inbox.Stores;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Inbox.AspNetCore.Operating;

/// <summary>
/// The console's routes. The route group's authorization policy has already let the operator in; each handler then
/// finds the operator's scope, validates every query parameter, and reads through <see cref="IOperationConsoleStore"/>.
/// </summary>
internal sealed class InboxConsoleEndpoints(InboxConsoleOptions options)
{
    private const string EndpointName = "Inbox.Console";

    private static readonly InboxError NotFound = new(
        StatusCodes.Status404NotFound, InboxErrorCodes.OperationNotFound, "No operation with this id was found.");

    public Task CountsAsync(HttpContext context) => HandleAsync(context, ConsoleQueryParser.CountParameters, async (scope, filters, store) =>
    {
        if (!scope.TryNarrow(filters.Tenant, out var tenant))
        {
            return ConsoleJson.Counts(new OperationCounts([], []), Now(context), context.GetInboxRequestId());
        }

        var counts = await store.CountAsync(tenant, context.RequestAborted).ConfigureAwait(false);
        return ConsoleJson.Counts(counts, Now(context), context.GetInboxRequestId());
    });

    public Task ListAsync(HttpContext context) => HandleAsync(context, ConsoleQueryParser.ListParameters, async (scope, filters, store) =>
    {
        if (!scope.TryNarrow(filters.Tenant, out var tenant))
        {
            return ConsoleJson.Page(new OperationPage([], Next: null), context.GetInboxRequestId());
        }

        var page = await store.ListAsync(filters with { Tenant = tenant }, context.RequestAborted).ConfigureAwait(false);
        return ConsoleJson.Page(page, context.GetInboxRequestId());
    });

    public Task DetailAsync(HttpContext context) => HandleAsync(context, ConsoleQueryParser.NoParameters, async (scope, _, store) =>
    {
        var id = context.GetRouteValue("id") as string;
        if (id is null || !RandomIds.IsOperationId(id))
        {
            return null;
        }

        var detail = await store.FindAsync(scope.AllTenants ? null : scope.Tenant, id, options.IncludeBodies, context.RequestAborted).ConfigureAwait(false);
        return detail is null ? null : ConsoleJson.Detail(detail, options.IncludeBodies, context.GetInboxRequestId());
    });

    // read returns the body of a 200, or null for the one 404 of every operation the operator cannot see.
    private async Task HandleAsync(
        HttpContext context, IReadOnlyCollection<string> parameters, Func<ConsoleScope, OperationListQuery, IOperationConsoleStore, Task<byte[]?>> read)
    {
        var services = context.RequestServices;
        var writer = services.GetRequiredService<IInboxResponseWriter>();
        var logger = services.GetRequiredService<ILogger<InboxConsoleEndpoints>>();
        if (ConsoleQueryParser.TryParse(context.Request.Query, parameters, out var filters) is { } invalid)
        {
            await writer.WriteErrorAsync(context, invalid).ConfigureAwait(false);
            return;
        }

        var scope = await ResolveScopeAsync(context, writer, logger).ConfigureAwait(false);
        if (scope is null)
        {
            return;
        }

        byte[]? body;
        try
        {
            body = await read(scope, filters, services.GetRequiredService<IOperationConsoleStore>()).ConfigureAwait(false);
        }
        catch (InboxStoreUnavailableException exception) when (!context.RequestAborted.IsCancellationRequested)
        {
            var idempotency = services.GetRequiredService<IOptions<IdempotencyOptions>>().Value;
            await StoreUnavailable.WriteAsync(context, writer, idempotency, policy: null, logger, exception).ConfigureAwait(false);
            return;
        }

        if (body is null)
        {
            await writer.WriteErrorAsync(context, NotFound).ConfigureAwait(false);
            return;
        }

        var response = context.Response;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = "application/json";
        response.Headers.CacheControl = "no-store";
        response.ContentLength = body.Length;
        await response.Body.WriteAsync(body, context.RequestAborted).ConfigureAwait(false);
    }

    private async Task<ConsoleScope?> ResolveScopeAsync(HttpContext context, IInboxResponseWriter writer, ILogger logger)
    {
        if (options.AllTenantsPolicy is { } allTenantsPolicy)
        {
            var authorization = context.RequestServices.GetRequiredService<IAuthorizationService>();
            var result = await authorization.AuthorizeAsync(context.User, allTenantsPolicy).ConfigureAwait(false);
            if (result.Succeeded)
            {
                return ConsoleScope.Everyone;
            }
        }

        var tenant = await TenantUnresolved.ResolveOrRefuseAsync(context, writer, logger, context.GetEndpoint()?.DisplayName ?? EndpointName).ConfigureAwait(false);
        return tenant is null ? null : new ConsoleScope(AllTenants: false, tenant);
    }

    private static DateTimeOffset Now(HttpContext context) => context.RequestServices.GetRequiredService<TimeProvider>().GetUtcNow();
}
