namespace Inbox.EntityFrameworkCore.Sql;

/// <summary>
/// The parameters of an operation's acceptance.
/// <para><c>RelayAt</c>: When the relay publishes the operation's message if no consumer takes it.</para>
/// <para><c>ExpiredId</c>: The expired row the acceptance replaces, once it found one.</para>
/// </summary>
internal sealed record AcceptanceValues(
    string Id,
    string Tenant,
    string Endpoint,
    string? IdempotencyKey,
    byte[] Fingerprint,
    string? RequestId,
    int ResponseStatus,
    string ResponseHeaders,
    byte[] ResponseBody,
    string MessageType,
    byte[] MessageBody,
    DateTimeOffset Now,
    DateTimeOffset ExpiresAt,
    DateTimeOffset RelayAt,
    string? ExpiredId = null)
{
    public static readonly StatementParameters<AcceptanceValues> Parameters = new()
    {
        ["id"] = v => v.Id,
        ["tenant"] = v => v.Tenant,
        ["endpoint"] = v => v.Endpoint,
        ["idempotencyKey"] = v => v.IdempotencyKey,
        ["fingerprint"] = v => v.Fingerprint,
        ["requestId"] = v => v.RequestId,
        ["responseStatus"] = v => v.ResponseStatus,
        ["responseHeaders"] = v => v.ResponseHeaders,
        ["responseBody"] = v => v.ResponseBody,
        ["messageType"] = v => v.MessageType,
        ["messageBody"] = v => v.MessageBody,
        ["now"] = v => v.Now,
        ["expiresAt"] = v => v.ExpiresAt,
        ["relayAt"] = v => v.RelayAt,
        ["expiredId"] = v => v.ExpiredId,
    };
}
