using System.Text.Json;
using Microsoft.Net.Http.Headers;

namespace Inbox.Samples.Api.Endpoints;

/// <summary>Reads a JSON body, or says why it cannot.</summary>
public static class JsonBody
{
    public static async Task<(T? Value, IResult? Problem)> ReadAsync<T>(HttpContext context)
        where T : class
    {
        if (!MediaTypeHeaderValue.TryParse(context.Request.ContentType, out var mediaType) ||
            !mediaType.MediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase))
        {
            return (null, SampleErrors.Write(context, StatusCodes.Status415UnsupportedMediaType, "unsupported_media_type", "Send the body as application/json."));
        }

        try
        {
            var value = await JsonSerializer.DeserializeAsync<T>(context.Request.Body, SampleJson.Options, context.RequestAborted);
            return value is null
                ? (null, SampleErrors.Invalid(context, [new FieldError("body", "must be a JSON object")]))
                : (value, null);
        }
        catch (JsonException exception)
        {
            var field = string.IsNullOrEmpty(exception.Path) || exception.Path == "$" ? "body" : exception.Path.TrimStart('$', '.');
            return (null, SampleErrors.Invalid(context, [new FieldError(field, "is not valid JSON of the expected type")], "The request body is not valid JSON."));
        }
    }
}
