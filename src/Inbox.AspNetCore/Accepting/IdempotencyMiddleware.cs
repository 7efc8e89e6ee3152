using System.Buffers;
using Inbox.AspNetCore.Diagnostics;
using Inbox.AspNetCore.Keys;
using Inbox.AspNetCore.Responses;
using Inbox.AspNetCore.Synchronous;
using Inbox.Fingerprints;
using Inbox.Operations;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Inbox.AspNetCore.Accepting;

/// <summary>
/// For opted-in POST, PUT and PATCH endpoints: checks the key rules (400), buffers the body within its limit
/// (413), fingerprints it and resolves the tenant, then lets the handler validate the body and accept. Runs after
/// authentication and authorization, so a 401 comes first. Stores nothing: a rejected request can be sent again.
/// </summary>
internal sealed class IdempotencyMiddleware(
    RequestDelegate next,
    IOptions<IdempotencyOptions> options,
    IInboxResponseWriter writer,
    HttpMetrics metrics,
    ILogger<IdempotencyMiddleware> logger)
{
    public async Task InvokeAsync(HttpContext context)
    {
        var routeEndpoint = context.GetEndpoint();
        var metadata = routeEndpoint?.Metadata.GetMetadata<IIdempotentMetadata>();
        if (metadata is null || !AppliesTo(context.Request.Method))
        {
            await next(context).ConfigureAwait(false);
            return;
        }

        var settings = options.Value;
        var policy = settings.GetPolicy(metadata.PolicyName);
        var routePattern = RoutePatternOf(routeEndpoint, context);
        var endpoint = $"{context.Request.Method} {routePattern}";

        var (key, keyError, keyRule) = KeyHeaderReader.Read(context.Request.Headers, settings, policy);
        if (keyError is not null)
        {
            await RejectKeyAsync(context, endpoint, policy, new InboxError(StatusCodes.Status400BadRequest, InboxErrorCodes.InvalidIdempotencyKey, keyError) { KeyRule = keyRule })
                .ConfigureAwait(false);
            return;
        }

        if (key is null && policy.RequireKey)
        {
            await RejectKeyAsync(
                context,
                endpoint,
                policy,
                new InboxError(
                    StatusCodes.Status400BadRequest,
                    InboxErrorCodes.IdempotencyKeyRequired,
                    $"This endpoint requires an {settings.HeaderName} header: send one key per logical operation and reuse it on retries."))
                .ConfigureAwait(false);
            return;
        }

        byte[]? body;
        try
        {
            body = await ReadBodyAsync(context.Request, settings.MaxBodySize, context.RequestAborted).ConfigureAwait(false);
        }
        catch (Exception exception) when (IsClientGone(exception, context.RequestAborted))
        {
            Log.RequestBodyIncomplete(logger, endpoint, exception);
            if (exception is BadHttpRequestException)
            {
                // Kestrel finishes a body it rejected itself at debug level (400 and close); swallowed, it leaves
                // its reader mid-read and warns that the connection ended abnormally.
                throw;
            }

            context.Abort();
            return;
        }

        if (body is null)
        {
            Log.BodyTooLarge(logger, endpoint, settings.MaxBodySize);
            await writer.WriteErrorAsync(context, policy, new InboxError(
                StatusCodes.Status413PayloadTooLarge,
                InboxErrorCodes.RequestBodyTooLarge,
                $"The request body must be at most {settings.MaxBodySize} bytes.")).ConfigureAwait(false);
            return;
        }

        context.Request.Body = new MemoryStream(body, writable: false);

        var tenant = await TenantUnresolved.ResolveOrRefuseAsync(context, writer, logger, endpoint).ConfigureAwait(false);
        if (tenant is null)
        {
            return;
        }

        if (tenant.Length > OperationScope.MaxTenantLength)
        {
            throw new InvalidOperationException(
                $"The tenant resolver returned a tenant of {tenant.Length} characters; at most {OperationScope.MaxTenantLength} fit the scope.");
        }

        byte[] fingerprint;
        try
        {
            fingerprint = RequestFingerprint.Compute(
                context.Request.Method,
                routePattern,
                RequestTargetValues.RouteValuesOf(routeEndpoint, context.Request),
                RequestTargetValues.QueryOf(context.Request),
                body,
                context.Request.HasJsonContentType());
        }
        catch (DuplicateJsonMemberException exception)
        {
            Log.DuplicateJsonMember(logger, endpoint);
            await writer.WriteErrorAsync(context, policy, new InboxError(
                StatusCodes.Status400BadRequest, InboxErrorCodes.DuplicateJsonMember, exception.Message + " Send each member once.")).ConfigureAwait(false);
            return;
        }

        var feature = new IdempotencyFeature(key, new OperationScope(tenant, ScopeEndpoint(endpoint, metadata.PolicyName, policy)), fingerprint, policy, endpoint);
        context.Features.Set<IIdempotencyFeature>(feature);

        var mode = metadata.Mode ?? policy.Mode;
        if (mode == IdempotencyMode.Accept)
        {
            await next(context).ConfigureAwait(false);
            return;
        }

        await context.RequestServices.GetRequiredService<SynchronousRequests>()
            .RunAsync(context, feature, mode, ClaimsInFilter(routeEndpoint!), next).ConfigureAwait(false);
    }

    // The policy's endpoints share one key space when it does not scope keys by endpoint; its name keeps policies apart.
    private static string ScopeEndpoint(string endpoint, string? policyName, IdempotencyPolicy policy) =>
        policy.ScopeKeysByEndpoint ? endpoint : $"* (policy {policyName ?? "default"})";

    // WithIdempotency() adds the endpoint filter; on a controller, [Idempotent] is the action filter. Either claims
    // after binding and validation.
    private static bool ClaimsInFilter(Endpoint endpoint) =>
        endpoint.Metadata.GetMetadata<ClaimFilterMetadata>() is not null
        || endpoint.Metadata.GetMetadata<Microsoft.AspNetCore.Mvc.Abstractions.ActionDescriptor>()?.FilterDescriptors
            .Any(descriptor => descriptor.Filter is IdempotentAttribute) == true;

    // Controllers' attribute routes have no leading slash; scopes read the same either way.
    private static string RoutePatternOf(Endpoint? routeEndpoint, HttpContext context)
    {
        var pattern = (routeEndpoint as RouteEndpoint)?.RoutePattern.RawText ?? context.Request.Path.Value ?? "/";
        return pattern.StartsWith('/') ? pattern : "/" + pattern;
    }

    // Kestrel reports a client that went away mid-body as a reset (ConnectionResetException), a body shorter than its
    // Content-Length (BadHttpRequestException), both IOExceptions, or by aborting the request.
    private static bool IsClientGone(Exception exception, CancellationToken requestAborted) =>
        exception is IOException || (exception is OperationCanceledException && requestAborted.IsCancellationRequested);

    private static bool AppliesTo(string method) =>
        HttpMethods.IsPost(method) || HttpMethods.IsPut(method) || HttpMethods.IsPatch(method);

    private Task RejectKeyAsync(HttpContext context, string endpoint, IdempotencyPolicy policy, InboxError error)
    {
        metrics.KeyRejected(endpoint);
        Log.KeyRejected(logger, endpoint, error.Message);
        return writer.WriteErrorAsync(context, policy, error);
    }

    /// <summary>Reads the whole body, or returns <see langword="null"/> as soon as it exceeds <paramref name="limit"/>.</summary>
    private static async Task<byte[]?> ReadBodyAsync(HttpRequest request, long limit, CancellationToken cancellationToken)
    {
        if (request.ContentLength > limit)
        {
            return null;
        }

        var reader = request.BodyReader;
        while (true)
        {
            var result = await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
            var buffer = result.Buffer;
            if (buffer.Length > limit)
            {
                reader.AdvanceTo(buffer.Start, buffer.End);
                return null;
            }

            if (result.IsCompleted || result.IsCanceled)
            {
                var bytes = buffer.ToArray();
                reader.AdvanceTo(buffer.End);
                return bytes;
            }

            reader.AdvanceTo(buffer.Start, buffer.End);
        }
    }
}
