using System.Text.Json;

namespace Inbox.Client.Responses;

/// <summary>
/// An acceptance or an operation resource, in the envelope (<c>{"data": {...}, "meta", "error"}</c>) or bare (problem
/// details responses): <c>id</c>, <c>status</c>, <c>status_url</c>, and once terminal <c>result</c> or <c>error</c>.
/// </summary>
internal readonly record struct OperationResource(
    string? Id, InboxOperationStatus Status, string? StatusUrl, JsonElement Result, string? ErrorCode, string? ErrorMessage)
{
    public static OperationResource Parse(ReadOnlySpan<byte> json)
    {
        var reader = new Utf8JsonReader(json);
        using var document = JsonDocument.ParseValue(ref reader);
        var root = document.RootElement;
        var resource = root.ValueKind == JsonValueKind.Object && root.TryGetProperty("data", out var data) && data.ValueKind == JsonValueKind.Object
            ? data
            : root;
        if (resource.ValueKind != JsonValueKind.Object)
        {
            throw new JsonException("The operation resource is not a JSON object.");
        }

        var error = resource.TryGetProperty("error", out var e) && e.ValueKind == JsonValueKind.Object ? e : default;
        return new OperationResource(
            Text(resource, "id"),
            StatusOf(Text(resource, "status")),
            Text(resource, "status_url"),
            resource.TryGetProperty("result", out var result) ? result.Clone() : default,
            error.ValueKind == JsonValueKind.Object ? Text(error, "code") : null,
            error.ValueKind == JsonValueKind.Object ? Text(error, "message") : null);
    }

    /// <summary>An unknown status is read as not yet terminal, so a newer server's intermediate states keep the poll going.</summary>
    private static InboxOperationStatus StatusOf(string? status) => status switch
    {
        "accepted" => InboxOperationStatus.Accepted,
        "succeeded" => InboxOperationStatus.Succeeded,
        "failed" => InboxOperationStatus.Failed,
        _ => InboxOperationStatus.Processing,
    };

    private static string? Text(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
