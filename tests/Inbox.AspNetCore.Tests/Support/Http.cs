using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace Inbox.AspNetCore.Tests.Support;

public static class Http
{
    public const string ValidClaim = """{"patientId": "pat_123", "amountCents": 12500}""";

    public static HttpRequestMessage Post(string path, string? json, string? key = null, string? tenant = null, string contentType = "application/json")
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path);
        if (json is not null)
        {
            request.Content = new ByteArrayContent(Encoding.UTF8.GetBytes(json));
            request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        }

        if (key is not null)
        {
            request.Headers.TryAddWithoutValidation("Idempotency-Key", key);
        }

        if (tenant is not null)
        {
            request.Headers.TryAddWithoutValidation("Authorization", "Bearer tenant:" + tenant);
        }

        return request;
    }

    public static HttpRequestMessage Get(string path, string? tenant = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (tenant is not null)
        {
            request.Headers.TryAddWithoutValidation("Authorization", "Bearer tenant:" + tenant);
        }

        return request;
    }

    public static async Task<JsonElement> JsonAsync(this HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        using var document = JsonDocument.Parse(text);
        return document.RootElement.Clone();
    }

    public static async Task<(string Code, string Message)> ErrorAsync(this HttpResponseMessage response)
    {
        var json = await response.JsonAsync();
        var error = json.GetProperty("error");
        return (error.GetProperty("code").GetString()!, error.GetProperty("message").GetString()!);
    }

    public static string? Header(this HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? string.Join(",", values)
        : response.Content.Headers.TryGetValues(name, out var contentValues) ? string.Join(",", contentValues)
        : null;
}
