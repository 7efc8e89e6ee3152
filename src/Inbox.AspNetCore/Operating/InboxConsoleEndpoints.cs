using Inbox.AspNetCore.Diagnostics;
using Inbox.AspNetCore.Responses;
using Inbox.Operating;
using Inbox.Operations;
using Inbox.Publishing;
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
/// finds the operator's scope, validates every query parameter, and reads through <see cref="IOperationConsoleStore"/>
/// or acts through <see cref="IOperationConsoleActionStore"/>.
/// </summary>
/// <param name="options">The console's options.</param>
/// <param name="countsCache">The counts cache, or <see langword="null"/> when <see cref="InboxConsoleOptions.CountsMaxAge"/> is zero.</param>
internal sealed class InboxConsoleEndpoints(InboxConsoleOptions options, ConsoleCountsCache? countsCache)
{
    private const string EndpointName = "Inbox.Console";

    /// <summary>The header every action must carry (with <see cref="ActionHeaderValue"/>): a cross-site request cannot set it.</summary>
    public const string ActionHeaderName = "X-Inbox-Console";

    public const string ActionHeaderValue = "1";

    /// <summary>The most operations one group redrive changes; the operator calls again for the rest.</summary>
    public const int MaxRedrivesPerCall = 500;

    /// <summary>The most leases of each kind one release changes.</summary>
    public const int MaxReleasesPerCall = 500;

    /// <summary>The most failure groups listed.</summary>
    public const int MaxFailureGroups = 200;

    private static readonly InboxError NotFound = new(
        StatusCodes.Status404NotFound, InboxErrorCodes.OperationNotFound, "No operation with this id was found.");

    private static readonly InboxError ActionHeaderMissing = new(
        StatusCodes.Status400BadRequest, InboxErrorCodes.ConsoleActionHeaderRequired,
        $"Console actions must carry the header {ActionHeaderName}: {ActionHeaderValue}, which cross-site forms cannot send; nothing changed.");

    public Task CountsAsync(HttpContext context) => HandleAsync(context, ConsoleQueryParser.CountParameters, async (scope, filters, services) =>
    {
        if (!scope.TryNarrow(filters.Tenant, out var tenant))
        {
            var now = Now(context);
            return ConsoleAnswer.Ok(ConsoleJson.Counts(new ConsoleCounts(new OperationCounts([], []), now), now, context.GetInboxRequestId()));
        }

        var counts = countsCache is null
            ? await ConsoleCountsCache.ReadAsync(Reads(services), services.GetRequiredService<TimeProvider>(), tenant, context.RequestAborted).ConfigureAwait(false)
            : await countsCache.GetAsync(tenant, context.RequestAborted).ConfigureAwait(false);
        return ConsoleAnswer.Ok(ConsoleJson.Counts(counts, Now(context), context.GetInboxRequestId()));
    });

    public Task ListAsync(HttpContext context) => HandleAsync(context, ConsoleQueryParser.ListParameters, async (scope, filters, services) =>
    {
        if (!scope.TryNarrow(filters.Tenant, out var tenant))
        {
            return ConsoleAnswer.Ok(ConsoleJson.Page(new OperationPage([], Next: null), context.GetInboxRequestId()));
        }

        var page = await Reads(services).ListAsync(filters with { Tenant = tenant }, context.RequestAborted).ConfigureAwait(false);
        return ConsoleAnswer.Ok(ConsoleJson.Page(page, context.GetInboxRequestId()));
    });

    public Task DetailAsync(HttpContext context) => HandleAsync(context, ConsoleQueryParser.NoParameters, async (scope, _, services) =>
    {
        if (OperationId(context) is not { } id)
        {
            return ConsoleAnswer.Refused(NotFound);
        }

        var detail = await Reads(services).FindAsync(scope.StoreTenant, id, options.IncludeBodies, context.RequestAborted).ConfigureAwait(false);
        return detail is null ? ConsoleAnswer.Refused(NotFound) : ConsoleAnswer.Ok(ConsoleJson.Detail(detail, options.IncludeBodies, context.GetInboxRequestId()));
    });

    public Task FailuresAsync(HttpContext context) => HandleAsync(context, ConsoleQueryParser.FailureParameters, async (scope, filters, services) =>
    {
        if (!scope.TryNarrow(filters.Tenant, out var tenant))
        {
            return ConsoleAnswer.Ok(ConsoleJson.Failures([], context.GetInboxRequestId()));
        }

        var groups = await Reads(services).ListFailuresAsync(tenant, filters.Endpoint, MaxFailureGroups, context.RequestAborted).ConfigureAwait(false);
        return ConsoleAnswer.Ok(ConsoleJson.Failures(groups, context.GetInboxRequestId()));
    });

    public Task RedriveAsync(HttpContext context) => ActAsync(context, ConsoleQueryParser.NoParameters, async (scope, _, services, logger) =>
    {
        if (OperationId(context) is not { } id)
        {
            return ConsoleAnswer.Refused(NotFound);
        }

        var redrive = await Actions(services).RedriveAsync(scope.StoreTenant, id, Now(context), context.RequestAborted).ConfigureAwait(false);
        if (redrive is not { Outcome: RedriveOutcome.Redriven, Publication: { } publication })
        {
            if (redrive.Outcome == RedriveOutcome.NotFound)
            {
                return ConsoleAnswer.Refused(NotFound);
            }

            var refusal = NotRedrivable(redrive);
            Log.ConsoleRedriveRefused(logger, Operator(context), id, refusal.Message);
            return ConsoleAnswer.Refused(refusal);
        }

        Log.ConsoleRedrove(logger, Operator(context), id, publication.Scope.Endpoint);
        Metrics(services).Acted(ConsoleMetrics.Redrive);
        await ConsoleRepublisher.PublishAsync(context, [publication], logger).ConfigureAwait(false);
        return ConsoleAnswer.Ok(ConsoleJson.Acted("redriven", 1, context.GetInboxRequestId()));
    });

    public Task RedriveFailuresAsync(HttpContext context) => ActAsync(context, ConsoleQueryParser.GroupRedriveParameters, async (scope, filters, services, logger) =>
    {
        if (ConsoleQueryParser.TryParseErrorCode(context.Request.Query, out var code) is { } invalidCode)
        {
            return ConsoleAnswer.Refused(invalidCode);
        }

        if (filters.Endpoint is not { } endpoint)
        {
            return ConsoleAnswer.Refused(new InboxError(
                StatusCodes.Status400BadRequest, InboxErrorCodes.InvalidConsoleEndpoint, "endpoint is required: the endpoint of the failure group to redrive."));
        }

        IReadOnlyList<StoredPublication> redriven = scope.TryNarrow(filters.Tenant, out var tenant)
            ? await Actions(services).RedriveFailuresAsync(tenant, code, endpoint, Now(context), MaxRedrivesPerCall, context.RequestAborted).ConfigureAwait(false)
            : [];
        Log.ConsoleRedroveGroup(logger, Operator(context), redriven.Count, endpoint, code);
        Metrics(services).Acted(ConsoleMetrics.RedriveGroup);
        await ConsoleRepublisher.PublishAsync(context, redriven, logger).ConfigureAwait(false);
        return ConsoleAnswer.Ok(ConsoleJson.Acted("redriven", redriven.Count, context.GetInboxRequestId()));
    });

    public Task ReleaseLeasesAsync(HttpContext context) => ActAsync(context, ConsoleQueryParser.CountParameters, async (scope, filters, services, logger) =>
    {
        var released = new ReleasedLeases(0, []);
        if (scope.TryNarrow(filters.Tenant, out var tenant))
        {
            // Judged as a synchronous request's takeover judges a lease: expired by more than the skew margin.
            var now = Now(context);
            var skewMargin = services.GetRequiredService<IOptions<IdempotencyOptions>>().Value.LeaseSkewMargin;
            released = await Actions(services).ReleaseExpiredLeasesAsync(tenant, now, now - skewMargin, MaxReleasesPerCall, context.RequestAborted).ConfigureAwait(false);
        }

        Log.ConsoleReleasedLeases(logger, Operator(context), released.Released, released.SynchronousOperations, released.Republish.Count);
        Metrics(services).Acted(ConsoleMetrics.ReleaseLeases);
        await ConsoleRepublisher.PublishAsync(context, released.Republish, logger).ConfigureAwait(false);
        return ConsoleAnswer.Ok(ConsoleJson.Acted("released", released.Released, context.GetInboxRequestId()));
    });

    /// <summary>
    /// An action (a POST): refused unless it carries <see cref="ActionHeaderName"/>, which a cross-site form or link
    /// cannot send with the operator's cookies, before anything else is read. Once run, it drops the cached counts of
    /// the scopes it may have changed.
    /// </summary>
    private Task ActAsync(
        HttpContext context, IReadOnlyCollection<string> parameters,
        Func<ConsoleScope, OperationListQuery, IServiceProvider, ILogger, Task<ConsoleAnswer>> act)
    {
        if (!string.Equals(context.Request.Headers[ActionHeaderName], ActionHeaderValue, StringComparison.Ordinal))
        {
            var services = context.RequestServices;
            Log.ConsoleActionHeaderMissing(Logger(services), Operator(context));
            return services.GetRequiredService<IInboxResponseWriter>().WriteErrorAsync(context, ActionHeaderMissing);
        }

        return HandleAsync(context, parameters, async (scope, filters, services) =>
        {
            try
            {
                return await act(scope, filters, services, Logger(services)).ConfigureAwait(false);
            }
            finally
            {
                // Before the answer is written, so the page's refresh after an action counts again. An all-tenants
                // operator without a tenant filter may have changed any tenant's counts.
                countsCache?.Invalidate(scope.AllTenants ? filters.Tenant : scope.Tenant);
            }
        });
    }

    private async Task HandleAsync(
        HttpContext context, IReadOnlyCollection<string> parameters, Func<ConsoleScope, OperationListQuery, IServiceProvider, Task<ConsoleAnswer>> handle)
    {
        var services = context.RequestServices;
        var writer = services.GetRequiredService<IInboxResponseWriter>();
        var logger = Logger(services);
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

        ConsoleAnswer answer;
        try
        {
            answer = await handle(scope, filters, services).ConfigureAwait(false);
        }
        catch (InboxStoreUnavailableException exception) when (!context.RequestAborted.IsCancellationRequested)
        {
            var idempotency = services.GetRequiredService<IOptions<IdempotencyOptions>>().Value;
            await StoreUnavailable.WriteAsync(context, writer, idempotency, policy: null, logger, exception).ConfigureAwait(false);
            return;
        }

        if (answer.Error is { } error)
        {
            await writer.WriteErrorAsync(context, error).ConfigureAwait(false);
            return;
        }

        var body = answer.Body!;
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

    private static InboxError NotRedrivable(OperationRedrive redrive) => new(
        StatusCodes.Status409Conflict,
        InboxErrorCodes.OperationNotRedrivable,
        redrive.Outcome switch
        {
            RedriveOutcome.NotFailed when redrive.Status == OperationStatus.Succeeded =>
                "This operation succeeded, and a succeeded operation is never run again; nothing changed.",
            RedriveOutcome.NotFailed =>
                $"Only a failed operation is redriven; this one is {redrive.Status?.ToWireName()} and still under way. Nothing changed.",
            RedriveOutcome.NoMessage =>
                "This operation came from a synchronous endpoint and has no message to publish (a retry of its request runs it again); nothing changed.",
            _ => "This operation's key has expired, so it and its inbox entries are due for deletion and it is not run again; nothing changed.",
        });

    private static string? OperationId(HttpContext context) =>
        context.GetRouteValue("id") is string id && RandomIds.IsOperationId(id) ? id : null;

    private static string Operator(HttpContext context) => context.User.Identity?.Name ?? "(unnamed)";

    private static IOperationConsoleStore Reads(IServiceProvider services) => services.GetRequiredService<IOperationConsoleStore>();

    private static IOperationConsoleActionStore Actions(IServiceProvider services) => services.GetRequiredService<IOperationConsoleActionStore>();

    private static ConsoleMetrics Metrics(IServiceProvider services) => services.GetRequiredService<ConsoleMetrics>();

    private static ILogger Logger(IServiceProvider services) => services.GetRequiredService<ILogger<InboxConsoleEndpoints>>();

    private static DateTimeOffset Now(HttpContext context) => context.RequestServices.GetRequiredService<TimeProvider>().GetUtcNow();
}
