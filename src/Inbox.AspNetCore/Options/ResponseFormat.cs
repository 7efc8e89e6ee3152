namespace Inbox.AspNetCore;

/// <summary>The shape of the bodies Inbox writes.</summary>
public enum ResponseFormat
{
    /// <summary>
    /// <c>{"data": ..., "meta": {"request_id": ...}, "error": {"code": ..., "message": ...}}</c>, as the public APIs
    /// our users know.
    /// </summary>
    Envelope,

    /// <summary>RFC 9457 problem details (<c>application/problem+json</c>) for errors; bare resources otherwise.</summary>
    ProblemDetails,
}
