using System.Buffers;
using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using Inbox.Operations;

namespace Inbox.AspNetCore.Responses;

/// <summary>The JSON pieces both response shapes share.</summary>
internal static class Json
{
    private static readonly JsonWriterOptions Options = new() { Encoder = JavaScriptEncoder.Default };

    public static byte[] Write(Action<Utf8JsonWriter> write)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer, Options))
        {
            write(writer);
        }

        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>The acceptance resource; problem details carry the request id inside it, the envelope in <c>meta</c>.</summary>
    public static void WriteAcceptance(Utf8JsonWriter writer, OperationAcceptance acceptance, bool withRequestId = false)
    {
        writer.WriteStartObject();
        writer.WriteString("id", acceptance.OperationId);
        writer.WriteString("status", "accepted");
        writer.WriteString("status_url", acceptance.StatusUrl);
        if (withRequestId)
        {
            writer.WriteString("request_id", acceptance.RequestId);
        }

        writer.WriteEndObject();
    }

    public static void WriteOperation(Utf8JsonWriter writer, OperationRecord operation)
    {
        writer.WriteStartObject();
        writer.WriteString("id", operation.Id);
        writer.WriteString("status", operation.Status.ToWireName());
        writer.WriteString("created_at", Timestamp(operation.CreatedAt));
        writer.WriteString("updated_at", Timestamp(operation.UpdatedAt));
        writer.WritePropertyName("result");
        if (operation.ResultJson is null)
        {
            writer.WriteNullValue();
        }
        else
        {
            writer.WriteRawValue(operation.ResultJson);
        }

        if (operation.ErrorCode is null)
        {
            writer.WriteNull("error");
        }
        else
        {
            writer.WriteStartObject("error");
            writer.WriteString("code", operation.ErrorCode);
            writer.WriteString("message", operation.ErrorMessage);
            writer.WriteEndObject();
        }

        writer.WriteEndObject();
    }

    // One fixed format (UTC, milliseconds) so a terminal operation reads the same on every provider.
    public static string Timestamp(DateTimeOffset value) =>
        value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
}
