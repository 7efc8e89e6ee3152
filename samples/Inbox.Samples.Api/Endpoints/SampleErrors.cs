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

/// <summary>Answers the framework's bodiless 404, 405 and 415 in the same envelope.</summary>
public static class SampleStatusCodes
{
    public static Task WriteAsync(Microsoft.AspNetCore.Diagnostics.StatusCodeContext status)
    {
        var context = status.HttpContext;
        var (code, message) = context.Response.StatusCode switch
        {
            StatusCodes.Status404NotFound => ("not_found", "No such route."),
            StatusCodes.Status405MethodNotAllowed => ("method_not_allowed", "This route does not accept this method."),
            StatusCodes.Status415UnsupportedMediaType => ("unsupported_media_type", "Send the body as application/json."),
            var other => ("http_" + other, "The request could not be handled."),
        };
        return SampleErrors.Write(context, context.Response.StatusCode, code, message).ExecuteAsync(context);
    }
}

/// <summary>snake_case JSON, as the seed APIs speak it.</summary>
public static class SampleJson
{
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        // The web defaults read "12500" as a number; a claim amount sent as text is a client bug to report.
        NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.Strict,
    };
}
