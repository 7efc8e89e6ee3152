using Inbox.Claims;
using Inbox.EntityFrameworkCore.Sql;
using Inbox.Operations;
using Inbox.Stores;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;

namespace Inbox.EntityFrameworkCore.Stores;

/// <summary>
/// Runs one synchronous request in transactional mode on the application's context (the request's own scoped
/// instance, so the handler's <c>SaveChanges</c> joins the transaction): the claim begins the transaction, the
/// completion saves, stores the response and commits, and anything else rolls it back.
/// </summary>
internal sealed class EntityFrameworkOperationUnitOfWork<TDbContext>(TDbContext db) : IOperationUnitOfWork, IAsyncDisposable
    where TDbContext : DbContext
{
    private IDbContextTransaction? _transaction;
    private string? _operationId;
    private string? _claimToken;

    public async Task RunAsync(Func<CancellationToken, Task> request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);

        // A retrying execution strategy refuses a transaction begun outside it, and would run the whole request again
        // after a transient failure: the handler may have written its response already, so it runs once, and a second
        // execution turns the failure into a 503 that the client retries with the same key.
        var strategy = db.Database.CreateExecutionStrategy();
        Exception? failure = null;
        var executions = 0;
        await strategy.ExecuteAsync(
            async token =>
            {
                if (++executions > 1)
                {
                    throw new InboxStoreUnavailableException(
                        "The request failed on a transient database error and is not run again in the same request; retry it with the same idempotency key.",
                        failure!);
                }

                // Inside the claim's transaction each SaveChanges would cost two more statements for a savepoint,
                // and a failure rolls the whole request back anyway.
                var savepoints = db.Database.AutoSavepointsEnabled;
                db.Database.AutoSavepointsEnabled = false;
                try
                {
                    await request(token).ConfigureAwait(false);
                }
                catch (Exception exception)
                {
                    failure = exception;
                    throw;
                }
                finally
                {
                    db.Database.AutoSavepointsEnabled = savepoints;
                    await RollbackAsync(CancellationToken.None).ConfigureAwait(false);
                }
            },
            cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask<OperationClaim> ClaimAsync(OperationClaimRequest request, TimeSpan maxWait, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (_transaction is not null)
        {
            throw new InvalidOperationException("This request already holds a claim: a unit of work claims one operation.");
        }

        try
        {
            _transaction = await db.Database.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception exception) when (DatabaseErrors.IsUnavailable(exception, cancellationToken))
        {
            throw new InboxStoreUnavailableException("The operation could not be claimed: the database is unavailable.", exception);
        }

        OperationClaim claim;
        try
        {
            claim = await OperationClaims.ClaimAsync(db, request, maxWait, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await RollbackAsync(CancellationToken.None).ConfigureAwait(false);
            throw;
        }

        if (claim.Outcome != OperationClaimOutcome.Claimed)
        {
            await RollbackAsync(cancellationToken).ConfigureAwait(false);
            return claim;
        }

        _operationId = claim.OperationId;
        _claimToken = request.ClaimToken;
        return claim;
    }

    public async ValueTask CompleteAsync(StoredResponse? response, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var transaction = _transaction ?? throw new InvalidOperationException("There is no claim to complete: call ClaimAsync first.");
        try
        {
            await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
            var recorded = response is null
                ? await OperationClaims.ReleaseAsync(db, _operationId!, _claimToken!, cancellationToken).ConfigureAwait(false)
                : await OperationClaims.CompleteAsync(db, _operationId!, _claimToken!, response, now, cancellationToken).ConfigureAwait(false);
            if (!recorded)
            {
                // The row is locked by this transaction from the claim on: nothing else can have changed it.
                throw new InvalidOperationException($"The claimed operation {_operationId} was not found in the claim's own transaction.");
            }

            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception exception) when (DatabaseErrors.IsUnavailable(exception, cancellationToken))
        {
            throw new InboxStoreUnavailableException("The request's writes could not be committed: the database is unavailable.", exception);
        }
        finally
        {
            await DisposeTransactionAsync().ConfigureAwait(false);
        }
    }

    public async ValueTask RollbackAsync(CancellationToken cancellationToken)
    {
        if (_transaction is not { } transaction)
        {
            return;
        }

        try
        {
            await transaction.RollbackAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception exception) when (DatabaseErrors.IsUnavailable(exception, cancellationToken))
        {
            // A connection that broke has rolled the transaction back on the server already.
        }
        finally
        {
            await DisposeTransactionAsync().ConfigureAwait(false);
            db.ChangeTracker.Clear();
        }
    }

    public ValueTask DisposeAsync() => RollbackAsync(CancellationToken.None);

    private async ValueTask DisposeTransactionAsync()
    {
        var transaction = _transaction;
        _transaction = null;
        _operationId = null;
        _claimToken = null;
        if (transaction is not null)
        {
            await transaction.DisposeAsync().ConfigureAwait(false);
        }
    }
}
