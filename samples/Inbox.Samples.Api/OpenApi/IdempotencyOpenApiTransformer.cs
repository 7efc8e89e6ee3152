using Inbox.AspNetCore;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Inbox.Samples.Api.OpenApi;

/// <summary>Describes the Idempotency-Key header and the contract's responses on every opted-in operation.</summary>
public sealed class IdempotencyOpenApiTransformer : IOpenApiOperationTransformer
{
    public Task TransformAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        if (!context.Description.ActionDescriptor.EndpointMetadata.OfType<IIdempotentMetadata>().Any())
        {
            return Task.CompletedTask;
        }

        operation.Parameters ??= [];
        operation.Parameters.Add(new OpenApiParameter
        {
            Name = "Idempotency-Key",
            In = ParameterLocation.Header,
            Required = false,
            Description = "One key per logical operation (1 to 255 visible ASCII characters; a UUID is a good choice). " +
                "Reuse it on every retry: the first request is accepted, retries replay that acceptance. X-Idempotency-Key is the same header.",
            Schema = new OpenApiSchema { Type = JsonSchemaType.String, MinLength = 1, MaxLength = 255 },
        });

        operation.Responses ??= [];
        operation.Responses["202"] = new OpenApiResponse
        {
            Description = "Accepted: the operation is stored and queued. Location and Operation-Location name the status URL; " +
                "a retry with the same key and body gets the same answer with Idempotent-Replayed: true.",
        };
        operation.Responses["400"] = new OpenApiResponse
        {
            Description = "invalid_idempotency_key (the message names the rule), idempotency_key_required, or invalid_request with field details. Nothing is stored.",
        };
        operation.Responses["401"] = new OpenApiResponse { Description = "unauthorized: a missing or unknown API key." };
        operation.Responses["409"] = new OpenApiResponse
        {
            Description = "idempotency_key_mismatched_body: the key was used with another body; or idempotency_key_in_use: retry after Retry-After.",
        };
        operation.Responses["413"] = new OpenApiResponse { Description = "request_body_too_large." };
        return Task.CompletedTask;
    }
}
