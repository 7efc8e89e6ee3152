using System.Text.Json;
using Inbox.Operations;
using Microsoft.AspNetCore.Http;

namespace Inbox.AspNetCore.Responses;

/// <summary><c>{"data": ..., "meta": {"request_id": ...}, "error": ...}</c>.</summary>
internal sealed class EnvelopeResponseWriter : IInboxResponseWriter
{
    public string ContentType => "application/json; charset=utf-8";

    public byte[] FormatAcceptance(OperationAcceptance acceptance) => Json.Write(writer =>
    {
        writer.WriteStartObject();
        writer.WritePropertyName("data");
        Json.WriteAcceptance(writer, acceptance);
        WriteMeta(writer, acceptance.RequestId);
        writer.WriteNull("error");
        writer.WriteEndObject();
    });

    public byte[] FormatOperation(OperationRecord operation, string requestId) => Json.Write(writer =>
    {
        writer.WriteStartObject();
        writer.WritePropertyName("data");
        Json.WriteOperation(writer, operation);
        WriteMeta(writer, requestId);
        writer.WriteNull("error");
        writer.WriteEndObject();
    });

    public Task WriteErrorAsync(HttpContext context, InboxError error)
    {
        var body = Json.Write(writer =>
        {
            writer.WriteStartObject();
            writer.WriteNull("data");
            WriteMeta(writer, context.GetInboxRequestId());
            writer.WriteStartObject("error");
            writer.WriteString("code", error.Code);
            writer.WriteString("message", error.Message);
            if (error.Type is not null)
            {
                writer.WriteString("type", error.Type);
            }

            writer.WriteEndObject();
            writer.WriteEndObject();
        });
        context.Response.StatusCode = error.StatusCode;
        context.Response.ContentType = ContentType;
        context.Response.ContentLength = body.Length;
        return context.Response.Body.WriteAsync(body, context.RequestAborted).AsTask();
    }

    private static void WriteMeta(Utf8JsonWriter writer, string requestId)
    {
        writer.WriteStartObject("meta");
        writer.WriteString("request_id", requestId);
        writer.WriteEndObject();
    }
}
