using System.Globalization;
using System.Text.Json.Nodes;
using Inbox.AspNetCore.Responses;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.Extensions.Options;
using Microsoft.OpenApi;

namespace Inbox.AspNetCore.OpenApi;

/// <summary>
/// Documents the idempotency contract on every opted-in POST, PUT and PATCH operation (endpoints with
/// <see cref="IIdempotentMetadata"/>): the key header and its alias with their rules, <c>Idempotent-Replayed</c> on the
/// success responses, and the 400, 409, 413, mismatch (409 or <see cref="IdempotencyOptions.MismatchStatusCode"/>) and
/// 503 answers with their error codes. Other operations are left as they are.
/// </summary>
internal sealed class IdempotencyOperationTransformer(IOptions<IdempotencyOptions> options, IInboxResponseWriter writer)
    : IOpenApiOperationTransformer
{
    public Task TransformAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        var metadata = context.Description.ActionDescriptor.EndpointMetadata.OfType<IIdempotentMetadata>().LastOrDefault();
        var method = context.Description.HttpMethod ?? string.Empty;
        if (metadata is null || !(HttpMethods.IsPost(method) || HttpMethods.IsPut(method) || HttpMethods.IsPatch(method)))
        {
            return Task.CompletedTask;
        }

        var settings = options.Value;
        var policy = settings.GetPolicy(metadata.PolicyName);
        operation.Parameters ??= [];
        operation.Parameters.Add(KeyHeader(settings, policy, settings.HeaderName, alias: false));
        if (settings.AlternateHeaderName is { } alternate)
        {
            operation.Parameters.Add(KeyHeader(settings, policy, alternate, alias: true));
        }

        operation.Responses ??= [];
        foreach (var (status, response) in operation.Responses)
        {
            if (status.StartsWith('2') && response is OpenApiResponse success)
            {
                success.Headers ??= new Dictionary<string, IOpenApiHeader>();
                success.Headers[IdempotencyDefaults.ReplayedHeaderName] = new OpenApiHeader
                {
                    Description = "`true` when this is the stored response of an earlier request with the same key, replayed; absent on the first answer.",
                    Schema = new OpenApiSchema { Type = JsonSchemaType.String, Enum = [JsonValue.Create("true")] },
                };
            }
        }

        var badRequest = new List<(string, string)>
        {
            (InboxErrorCodes.InvalidIdempotencyKey, "the key breaks a rule (the message names it)"),
            (InboxErrorCodes.DuplicateJsonMember, "the JSON body names a member twice in one object (ignoring case)"),
        };
        if (policy.RequireKey)
        {
            badRequest.Insert(1, (InboxErrorCodes.IdempotencyKeyRequired, "no key was sent"));
        }

        AddError(operation, StatusCodes.Status400BadRequest, "Nothing is stored: correct the request and send it again, with the same key.", badRequest);
        var mismatch = (InboxErrorCodes.IdempotencyKeyMismatchedBody, "the key was used with another request (body, route values or query); use a new key");
        var inUse = (InboxErrorCodes.IdempotencyKeyInUse, "another request with this key is still being processed; retry after `Retry-After`");
        AddError(operation, StatusCodes.Status409Conflict, null, settings.MismatchStatusCode == StatusCodes.Status409Conflict ? [mismatch, inUse] : [inUse], retryAfter: true);
        if (settings.MismatchStatusCode != StatusCodes.Status409Conflict)
        {
            AddError(operation, settings.MismatchStatusCode, "The original operation is untouched.", [mismatch]);
        }

        AddError(operation, StatusCodes.Status413PayloadTooLarge, "Nothing is stored.",
            [(InboxErrorCodes.RequestBodyTooLarge, $"the body is larger than {settings.MaxBodySize} bytes")]);
        AddError(operation, StatusCodes.Status503ServiceUnavailable, null,
            [(InboxErrorCodes.ServiceUnavailable, "the database is unavailable or busy; retry with the same key after `Retry-After`")], retryAfter: true);
        return Task.CompletedTask;
    }

    private static OpenApiParameter KeyHeader(IdempotencyOptions settings, IdempotencyPolicy policy, string name, bool alias)
    {
        var rules = policy.RequireUuid
            ? "A UUID (e.g. `550e8400-e29b-41d4-a716-446655440000`)."
            : "1 to 255 visible ASCII characters (0x21 to 0x7E); a UUID is a good choice.";
        var description = alias
            ? $"Another name for `{settings.HeaderName}`: the same key (a key sent under one name replays under the other). " +
              "Both headers with one value are one key; with different values, 400. " + rules + " "
            : $"One key per logical operation, sent again on every retry: the first request is processed, a retry with the same request replays its answer. {rules} " +
              (policy.RequireKey ? "Required on this endpoint. " : "Optional: without a key the request is processed without deduplication. ") +
              (settings.AlternateHeaderName is { } alternate ? $"`{alternate}` is the same header. " : string.Empty);
        return new OpenApiParameter
        {
            Name = name,
            In = ParameterLocation.Header,
            // The alias stands in for the key, so even where a key is required the alias alone is optional.
            Required = policy.RequireKey && !alias,
            Description = description + "The RFC 8941 quoted form (`\"abc\"`, with `\\\"` and `\\\\` escapes) is accepted; the rules apply to the unquoted value.",
            Schema = policy.RequireUuid
                ? new OpenApiSchema { Type = JsonSchemaType.String, Format = "uuid" }
                : new OpenApiSchema { Type = JsonSchemaType.String, MinLength = 1, MaxLength = 255, Pattern = "^[\\x21-\\x7E]+$" },
        };
    }

    private void AddError(
        OpenApiOperation operation, int status, string? note, IReadOnlyList<(string Code, string Meaning)> codes, bool retryAfter = false)
    {
        var key = status.ToString(CultureInfo.InvariantCulture);
        var ours = string.Join("; ", codes.Select(c => $"`{c.Code}`: {c.Meaning}")) + "." + (note is null ? string.Empty : " " + note);
        if (operation.Responses!.TryGetValue(key, out var existing) && existing is OpenApiResponse documented)
        {
            // The endpoint's own answer for this status (its validation's 400, say) stays; ours is added to it.
            documented.Description = string.IsNullOrEmpty(documented.Description) ? ours : documented.Description + " Or " + ours;
        }
        else
        {
            documented = new OpenApiResponse { Description = ours };
            operation.Responses[key] = documented;
        }

        if (retryAfter)
        {
            documented.Headers ??= new Dictionary<string, IOpenApiHeader>();
            documented.Headers["Retry-After"] = new OpenApiHeader
            {
                Description = "Seconds to wait before the retry.",
                Schema = new OpenApiSchema { Type = JsonSchemaType.Integer },
            };
        }

        if (ErrorSchema(codes) is { } schema)
        {
            documented.Content ??= new Dictionary<string, OpenApiMediaType>();
            var mediaType = writer is ProblemDetailsResponseWriter ? "application/problem+json" : "application/json";
            if (!documented.Content.ContainsKey(mediaType))
            {
                documented.Content[mediaType] = new OpenApiMediaType { Schema = schema };
            }
        }
    }

    // The shape of the built-in writers' errors, with the codes this status can carry; a writer of the application's
    // own is documented by the descriptions alone.
    private OpenApiSchema? ErrorSchema(IReadOnlyList<(string Code, string Meaning)> codes)
    {
        var code = new OpenApiSchema
        {
            Type = JsonSchemaType.String,
            Enum = [.. codes.Select(c => (JsonNode)JsonValue.Create(c.Code))],
        };
        var text = new OpenApiSchema { Type = JsonSchemaType.String };
        return writer switch
        {
            EnvelopeResponseWriter => new OpenApiSchema
            {
                Type = JsonSchemaType.Object,
                Properties = new Dictionary<string, IOpenApiSchema>
                {
                    ["data"] = new OpenApiSchema { Type = JsonSchemaType.Null },
                    ["meta"] = new OpenApiSchema { Type = JsonSchemaType.Object, Properties = new Dictionary<string, IOpenApiSchema> { ["request_id"] = text } },
                    ["error"] = new OpenApiSchema
                    {
                        Type = JsonSchemaType.Object,
                        Properties = new Dictionary<string, IOpenApiSchema> { ["code"] = code, ["message"] = text },
                    },
                },
            },
            ProblemDetailsResponseWriter => new OpenApiSchema
            {
                Type = JsonSchemaType.Object,
                Properties = new Dictionary<string, IOpenApiSchema>
                {
                    ["type"] = text,
                    ["title"] = text,
                    ["status"] = new OpenApiSchema { Type = JsonSchemaType.Integer },
                    ["detail"] = text,
                    ["code"] = code,
                    ["request_id"] = text,
                },
            },
            _ => null,
        };
    }
}
