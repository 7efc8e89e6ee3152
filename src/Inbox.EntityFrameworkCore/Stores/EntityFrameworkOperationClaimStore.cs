using Inbox.Operations;
using Inbox.Stores;
using Microsoft.EntityFrameworkCore;

namespace Inbox.EntityFrameworkCore.Stores;

/// <summary>The leased claims of synchronous requests over the application's <typeparamref name="TDbContext"/>, each statement committed on its own.</summary>
internal sealed class EntityFrameworkOperationClaimStore<TDbContext>(TDbContext db) : IOperationClaimStore
    where TDbContext : DbContext
{
    public ValueTask<OperationClaim> ClaimAsync(OperationClaimRequest request, TimeSpan maxWait, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.LeaseExpiresAt is null)
        {
            throw new ArgumentException("A leased claim needs a lease: set LeaseExpiresAt.", nameof(request));
        }

        return OperationClaims.ClaimAsync(db, request, maxWait, cancellationToken);
    }

    public ValueTask<OperationClaim?> FindAsync(OperationClaimRequest request, CancellationToken cancellationToken) =>
        OperationClaims.FindAsync(db, request, cancellationToken);

    public ValueTask<bool> CompleteAsync(string operationId, string claimToken, StoredResponse response, DateTimeOffset now, CancellationToken cancellationToken) =>
        OperationClaims.CompleteAsync(db, operationId, claimToken, response, now, cancellationToken);

    public ValueTask<bool> ReleaseAsync(string operationId, string claimToken, CancellationToken cancellationToken) =>
        OperationClaims.ReleaseAsync(db, operationId, claimToken, cancellationToken);
}
