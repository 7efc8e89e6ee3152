using System.Text.Json;
using Inbox.AspNetCore;

namespace Inbox.Samples.Api.Endpoints;

/// <summary>One field that failed validation.</summary>
public sealed record FieldError(string Field, string Message);

/// <summary>The sample's own errors, in the same envelope Inbox writes (with field details where they help).</summary>
public static class SampleErrors
{
    public static IResult Invalid(HttpContext context, IReadOnlyList<FieldError> details, string message = "The request body is invalid.") =>
        Write(context, StatusCodes.Status400BadRequest, "invalid_request", message, details);

    public static IResult Write(HttpContext context, int status, string code, string message, IReadOnlyList<FieldError>? details = null)
    {
        object error = details is null
            ? new { code, message }
            : new { code, message, details = details.Select(d => new { field = d.Field, message = d.Message }) };
        return Results.Json(
            new { data = (object?)null, meta = new { request_id = context.GetInboxRequestId() }, error },
            SampleJson.Options,
            statusCode: status);
    }
}

/// <summary>snake_case JSON, as the seed APIs speak it.</summary>
public static class SampleJson
{
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
    };
}
