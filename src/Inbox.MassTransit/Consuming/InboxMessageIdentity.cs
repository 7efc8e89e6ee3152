using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Inbox.Publishing;
using MassTransit;

namespace Inbox.MassTransit.Consuming;

/// <summary>
/// What identifies a delivered message for deduplication: the operation id when the message came through the
/// HTTP side; else the scope and Idempotency-Key headers; else the MassTransit MessageId.
/// </summary>
/// <remarks>
/// DESIGN.md orders the key before the operation id. The operation id comes first here because a key outlives
/// its operation: once the key expires the same key makes a new operation, and deduplicating on the key would
/// skip that new operation's message while the old inbox entry is still kept.
/// </remarks>
internal sealed record InboxMessageIdentity(string MessageKey, string? OperationId, DateTimeOffset? ExpiresAt)
{
    public static InboxMessageIdentity? TryFrom(ConsumeContext context)
    {
        var headers = context.Headers;
        var expiresAt = headers.Get<string>(OperationHeaders.ExpiresAt) is { } text &&
                        DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed)
            ? parsed.ToUniversalTime()
            : (DateTimeOffset?)null;

        if (headers.Get<string>(OperationHeaders.OperationId) is { Length: > 0 } operationId)
        {
            return new InboxMessageIdentity("op:" + operationId, operationId, expiresAt);
        }

        if (headers.Get<string>(OperationHeaders.IdempotencyKey) is { Length: > 0 } key)
        {
            var scope = $"{headers.Get<string>(OperationHeaders.Tenant)}\n{headers.Get<string>(OperationHeaders.Endpoint)}\n{key}";
            return new InboxMessageIdentity("key:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(scope))), null, expiresAt);
        }

        return context.MessageId is { } messageId
            ? new InboxMessageIdentity("msg:" + messageId.ToString("N"), null, expiresAt)
            : null;
    }

    public static InboxMessageIdentity From(ConsumeContext context) => TryFrom(context) ?? throw new InvalidOperationException(
        "The message carries no operation id, no Idempotency-Key and no MessageId, so the inbox cannot recognise its redeliveries.");
}
