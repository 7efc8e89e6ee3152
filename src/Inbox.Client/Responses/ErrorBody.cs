using System.Text.Json;

namespace Inbox.Client.Responses;

/// <summary>
/// The error of an answer, in either shape the contract allows: the envelope
/// <c>{"data": null, "meta": {"request_id"}, "error": {"code", "message"}}</c>, or RFC 9457 problem details with
/// <c>code</c>, <c>detail</c> and <c>request_id</c> members.
/// </summary>
internal readonly record struct ErrorBody(string? Code, string? Message, string? RequestId)
{
    /// <summary>Error bodies are small; a larger body is not read for its code.</summary>
    public const int MaxBytes = 64 * 1024;

    public static async ValueTask<string?> ReadCodeAsync(HttpResponseMessage response, CancellationToken cancellationToken) =>
        (await ReadAsync(response, cancellationToken).ConfigureAwait(false)).Code;

    /// <summary>Reads the body (buffering it, so the caller can read it again); an unreadable body has no code.</summary>
    public static async ValueTask<ErrorBody> ReadAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        try
        {
            await response.Content.LoadIntoBufferAsync(MaxBytes, cancellationToken).ConfigureAwait(false);
            var bytes = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
            return Parse(bytes);
        }
        catch (HttpRequestException)
        {
            return default;
        }
    }

    public static ErrorBody Parse(ReadOnlySpan<byte> json)
    {
        try
        {
            var reader = new Utf8JsonReader(json);
            using var document = JsonDocument.ParseValue(ref reader);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return default;
            }

            if (root.TryGetProperty("error", out var error) && error.ValueKind == JsonValueKind.Object)
            {
                var meta = root.TryGetProperty("meta", out var m) && m.ValueKind == JsonValueKind.Object ? m : default;
                return new ErrorBody(Text(error, "code"), Text(error, "message"), meta.ValueKind == JsonValueKind.Object ? Text(meta, "request_id") : null);
            }

            return new ErrorBody(Text(root, "code"), Text(root, "detail") ?? Text(root, "title"), Text(root, "request_id"));
        }
        catch (JsonException)
        {
            return default;
        }
    }

    private static string? Text(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
