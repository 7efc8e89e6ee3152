using Inbox.Claims;

namespace Inbox.EntityFrameworkCore.Sql;

/// <summary>
/// The parameters of an inbox entry's claim: the request's, and <paramref name="RelayAt"/>, when the relay should
/// republish the operation the claim starts (where the dialect starts it in the same statement) if the consumer
/// goes away meanwhile.
/// </summary>
internal sealed record EntryClaimValues(InboxClaimRequest Request, DateTimeOffset? RelayAt = null)
{
    public static readonly StatementParameters<EntryClaimValues> Parameters = new()
    {
        ["consumer"] = v => v.Request.Consumer,
        ["messageKey"] = v => v.Request.MessageKey,
        ["operationId"] = v => v.Request.OperationId,
        ["claimToken"] = v => v.Request.ClaimToken,
        ["now"] = v => v.Request.Now,
        ["expiresAt"] = v => v.Request.ExpiresAt,
        ["takeoverBefore"] = v => v.Request.TakeoverBefore,
        ["leaseExpiresAt"] = v => v.Request.LeaseExpiresAt,
        ["startsOperationId"] = v => v.Request.StartsOperationId,
        ["relayAt"] = v => v.RelayAt,
    };
}
