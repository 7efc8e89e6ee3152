using Inbox.Operations;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;

namespace Inbox.AspNetCore.Responses;

/// <summary>RFC 9457 problem details for errors (with <c>code</c> and <c>request_id</c> members); bare resources otherwise.</summary>
internal sealed class ProblemDetailsResponseWriter : IInboxResponseWriter
{
    public string ContentType => "application/json; charset=utf-8";

    public byte[] FormatAcceptance(OperationAcceptance acceptance) =>
        Json.Write(writer => Json.WriteAcceptance(writer, acceptance, withRequestId: true));

    public byte[] FormatOperation(OperationRecord operation, string requestId) =>
        Json.Write(writer => Json.WriteOperation(writer, operation));

    public Task WriteErrorAsync(HttpContext context, InboxError error)
    {
        var body = Json.Write(writer =>
        {
            writer.WriteStartObject();
            writer.WriteString("type", error.Type ?? "about:blank");
            writer.WriteString("title", ReasonPhrases.GetReasonPhrase(error.StatusCode));
            writer.WriteNumber("status", error.StatusCode);
            writer.WriteString("detail", error.Message);
            writer.WriteString("code", error.Code);
            writer.WriteString("request_id", context.GetInboxRequestId());
            writer.WriteEndObject();
        });
        context.Response.StatusCode = error.StatusCode;
        context.Response.ContentType = "application/problem+json; charset=utf-8";
        context.Response.ContentLength = body.Length;
        return context.Response.Body.WriteAsync(body, context.RequestAborted).AsTask();
    }
}
