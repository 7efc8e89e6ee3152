namespace Inbox.EntityFrameworkCore.Sql;

/// <summary>
/// The parameters of a synchronous request's claim on its operation.
/// <para><c>EmptyBody</c>: The response and message body of a claimed row, which has neither yet.</para>
/// <para><c>LeaseExpiresAt</c>: The claim's lease expiry.</para>
/// <para><c>ExistingId</c>: The row found for the key, once the claim found one: replaced when expired, else taken over.</para>
/// <para><c>TakeoverBefore</c>: A lease that expired before this instant may be taken over.</para>
/// </summary>
internal sealed record OperationClaimValues(
    string Id,
    string Tenant,
    string Endpoint,
    string? IdempotencyKey,
    byte[] Fingerprint,
    string? RequestId,
    byte[] EmptyBody,
    DateTimeOffset Now,
    DateTimeOffset ExpiresAt,
    string ClaimToken,
    DateTimeOffset LeaseExpiresAt,
    DateTimeOffset TakeoverBefore,
    string? ExistingId = null)
{
    public static readonly StatementParameters<OperationClaimValues> Parameters = new()
    {
        ["id"] = v => v.Id,
        ["tenant"] = v => v.Tenant,
        ["endpoint"] = v => v.Endpoint,
        ["idempotencyKey"] = v => v.IdempotencyKey,
        ["fingerprint"] = v => v.Fingerprint,
        ["requestId"] = v => v.RequestId,
        ["emptyBody"] = v => v.EmptyBody,
        ["now"] = v => v.Now,
        ["expiresAt"] = v => v.ExpiresAt,
        ["claimToken"] = v => v.ClaimToken,
        ["leaseExpiresAt"] = v => v.LeaseExpiresAt,
        ["takeoverBefore"] = v => v.TakeoverBefore,
        ["existingId"] = v => v.ExistingId,
    };
}
