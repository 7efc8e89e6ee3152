using Inbox.AspNetCore.OpenApi;

namespace Microsoft.AspNetCore.OpenApi;

/// <summary>Documents the idempotency contract in the OpenAPI documents of Microsoft.AspNetCore.OpenApi.</summary>
public static class IdempotencyOpenApiOptionsExtensions
{
    /// <summary>
    /// Adds the transformer that documents, on every POST, PUT and PATCH endpoint opted in with <c>WithIdempotency()</c>
    /// or <c>[Idempotent]</c>: the key header and its alias (their rules, a UUID and required where the endpoint's policy
    /// says so), the <c>Idempotent-Replayed</c> response header on its success responses, and the 400, 409, 413,
    /// mismatch (<see cref="Inbox.AspNetCore.IdempotencyOptions.MismatchStatusCode"/>, e.g. 422) and 503 responses with
    /// their error codes. <c>services.AddOpenApi(options => options.AddIdempotency())</c>, after <c>AddIdempotency</c>.
    /// </summary>
    public static OpenApiOptions AddIdempotency(this OpenApiOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return options.AddOperationTransformer<IdempotencyOperationTransformer>();
    }
}
