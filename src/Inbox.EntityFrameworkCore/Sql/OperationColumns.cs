using Inbox.EntityFrameworkCore.Model;
using Microsoft.EntityFrameworkCore.Storage;

namespace Inbox.EntityFrameworkCore.Sql;

/// <summary>The operations table's columns that the string parameters of its statements go to, by parameter name.</summary>
internal static class OperationColumns
{
    public static Dictionary<string, RelationalTypeMapping> Of(TableNames t) => new(StringComparer.Ordinal)
    {
        ["id"] = t.Mapping(nameof(InboxOperation.Id)),
        ["expiredId"] = t.Mapping(nameof(InboxOperation.Id)),
        ["existingId"] = t.Mapping(nameof(InboxOperation.Id)),
        ["tenant"] = t.Mapping(nameof(InboxOperation.TenantId)),
        ["endpoint"] = t.Mapping(nameof(InboxOperation.Endpoint)),
        ["idempotencyKey"] = t.Mapping(nameof(InboxOperation.IdempotencyKey)),
        ["requestId"] = t.Mapping(nameof(InboxOperation.RequestId)),
        ["responseHeaders"] = t.Mapping(nameof(InboxOperation.ResponseHeaders)),
        ["messageType"] = t.Mapping(nameof(InboxOperation.MessageType)),
        ["claimToken"] = t.Mapping(nameof(InboxOperation.LeaseToken)),
    };
}
