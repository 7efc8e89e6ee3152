using Inbox.Operations;
using Microsoft.AspNetCore.Http;

namespace Inbox.AspNetCore;

/// <summary>
/// Writes Inbox's response bodies. The default follows <see cref="IdempotencyOptions.ResponseFormat"/>; register
/// your own implementation to use another shape. Bodies never hold stack traces or other requests' data.
/// </summary>
public interface IInboxResponseWriter
{
    /// <summary>The content type of acceptance and operation bodies.</summary>
    string ContentType { get; }

    /// <summary>The body of a 202 acceptance; stored and replayed byte for byte.</summary>
    byte[] FormatAcceptance(OperationAcceptance acceptance);

    /// <summary>The body of a status read.</summary>
    byte[] FormatOperation(OperationRecord operation, string requestId);

    /// <summary>Writes <paramref name="error"/> as the response, status code included.</summary>
    Task WriteErrorAsync(HttpContext context, InboxError error);
}
