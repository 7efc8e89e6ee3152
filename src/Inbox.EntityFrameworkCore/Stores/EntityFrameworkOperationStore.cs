using Inbox.Background;
using Inbox.EntityFrameworkCore.Sql;
using Inbox.EntityFrameworkCore.Stores.GroupCommit;
using Inbox.Operations;
using Inbox.Publishing;
using Inbox.Stores;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Inbox.EntityFrameworkCore.Stores;

/// <summary>The operation store over the application's <typeparamref name="TDbContext"/>.</summary>
internal sealed class EntityFrameworkOperationStore<TDbContext>(
    TDbContext db, IOptions<InboxStoreOptions> options, AcceptBatcher<TDbContext>? batcher = null)
    : IOperationStore, IOperationRelayStore, IRetentionStore
    where TDbContext : DbContext
{
    // An expired row can be swept, or replaced by a concurrent acceptance, between two statements; each
    // attempt observes a newer state, so a handful always settles.
    private const int MaxAttempts = 8;

    public async ValueTask<AcceptOutcome> AcceptAsync(NewOperation operation, TimeSpan maxWait, CancellationToken cancellationToken)
    {
        var sql = OperationSql.For(db);
        var parameters = Parameters(operation);
        if (batcher is not null && batcher.Joins(db, sql))
        {
            var admission = await batcher.AcceptAsync(operation, parameters, maxWait, cancellationToken).ConfigureAwait(false);
            if (admission.Outcome is { } batched)
            {
                return batched;
            }

            if (admission.Alone is { } alone)
            {
                try
                {
                    using var stopping = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, batcher.StopToken);
                    return await AcceptAloneAsync(sql, operation, parameters, maxWait, stopping.Token).ConfigureAwait(false);
                }
                catch (Exception exception) when (batcher.StopToken.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
                {
                    throw AcceptBatcher<TDbContext>.StoppingError(exception);
                }
                finally
                {
                    batcher.FinishAlone(alone);
                }
            }
        }

        return await AcceptAloneAsync(sql, operation, parameters, maxWait, cancellationToken).ConfigureAwait(false);
    }

    private async Task<AcceptOutcome> AcceptAloneAsync(
        OperationSql sql, NewOperation operation, AcceptanceValues parameters, TimeSpan maxWait, CancellationToken cancellationToken)
    {
        // Microsoft.Data.Sqlite retries a locked database until the command timeout and ignores cancellation
        // meanwhile, so there the wait limit has to be the command timeout.
        var limitsByTimeout = sql.WaitsUntilCommandTimeout;
        var previousTimeout = db.Database.GetCommandTimeout();
        if (limitsByTimeout)
        {
            db.Database.SetCommandTimeout(Math.Max(1, (int)Math.Ceiling(maxWait.TotalSeconds)));
        }

        try
        {
            return await AcceptCoreAsync(sql, operation, parameters, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception exception) when (DatabaseErrors.IsWaitTimeout(exception))
        {
            // SQLite locks the whole database for a writer, so a busy timeout there says the database was busy, not
            // that this key is in use: an acceptance holds the lock for one insert, so a wait past the limit means
            // another writer (a long transaction, a migration, a bulk sweep), whose lock cannot be told apart from a
            // first request with the same key. The store reports it as unavailable (503 with Retry-After, which a
            // client retries with the same key as safely as a 409 in use) rather than name a cause it cannot see.
            // A request without a key has no key to be in use on any provider.
            if (limitsByTimeout || operation.IdempotencyKey is null)
            {
                throw new InboxStoreUnavailableException(
                    "The operation could not be accepted: the database stayed locked by another writer past the wait limit.", exception);
            }

            throw new TimeoutException("Another acceptance holds this key and did not finish in time.", exception);
        }
        catch (Exception exception) when (DatabaseErrors.IsUnavailable(exception, cancellationToken))
        {
            throw new InboxStoreUnavailableException("The operation could not be accepted: the database is unavailable.", exception);
        }
        finally
        {
            if (limitsByTimeout)
            {
                db.Database.SetCommandTimeout(previousTimeout);
            }
        }
    }

    private AcceptanceValues Parameters(NewOperation operation) => new(
        operation.Id, operation.Scope.Tenant, operation.Scope.Endpoint, operation.IdempotencyKey,
        operation.Fingerprint, operation.RequestId, operation.Response.StatusCode,
        StoredResponseHeaders.Serialize(operation.Response.Headers), Bytes.AsArray(operation.Response.Body),
        operation.MessageType, Bytes.AsArray(operation.MessageBody), operation.CreatedAt, operation.ExpiresAt,
        operation.CreatedAt + options.Value.RelayDelay);

    private async Task<AcceptOutcome> AcceptCoreAsync(
        OperationSql sql, NewOperation operation, AcceptanceValues parameters, CancellationToken cancellationToken)
    {
        var created = new AcceptOutcome(AcceptOutcomeKind.Created, operation.Id, operation.Fingerprint, operation.Response);

        if (operation.IdempotencyKey is null)
        {
            await RawSql.ExecuteAsync(db, sql.Insert, parameters, cancellationToken).ConfigureAwait(false);
            return created;
        }

        for (var attempt = 0; attempt < MaxAttempts; attempt++)
        {
            var existing = await InsertOrSelectAsync(sql, parameters, cancellationToken).ConfigureAwait(false);
            if (existing is null)
            {
                continue;
            }

            if (existing.Id == operation.Id)
            {
                return created;
            }

            if (existing.ExpiresAt > operation.CreatedAt)
            {
                return new AcceptOutcome(AcceptOutcomeKind.Existing, existing.Id, existing.Fingerprint, existing.Response);
            }

            parameters = parameters with { ExpiredId = existing.Id };
            if (await RawSql.ExecuteAsync(db, sql.ReplaceExpired, parameters, cancellationToken).ConfigureAwait(false) == 1)
            {
                return created;
            }
        }

        throw new InvalidOperationException(
            $"The operation for this key kept changing under {MaxAttempts} attempts to accept it; retry the request.");
    }

    public async ValueTask<OperationRecord?> FindAsync(
        string tenant, string operationId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(tenant);
        try
        {
            return await FindCoreAsync(tenant, operationId, now, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception exception) when (DatabaseErrors.IsUnavailable(exception, cancellationToken))
        {
            throw new InboxStoreUnavailableException("The operation could not be read: the database is unavailable.", exception);
        }
    }

    private async Task<OperationRecord?> FindCoreAsync(
        string tenant, string operationId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var sql = OperationSql.For(db);
        var reader = await RawSql.ReadAsync(db, sql.Find, new LookupValues(operationId, tenant, now), cancellationToken).ConfigureAwait(false);
        await using var readerLease = reader.ConfigureAwait(false);
        var row = reader.DbDataReader;
        if (!await row.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            return null;
        }

        return new OperationRecord
        {
            Id = row.GetString(0),
            Status = (OperationStatus)row.GetInt32(1),
            CreatedAt = row.GetFieldValue<DateTimeOffset>(2),
            UpdatedAt = row.GetFieldValue<DateTimeOffset>(3),
            ResultJson = row.IsDBNull(4) ? null : row.GetString(4),
            ErrorCode = row.IsDBNull(5) ? null : row.GetString(5),
            ErrorMessage = row.IsDBNull(6) ? null : row.GetString(6),
        };
    }

    public async ValueTask<IReadOnlyList<StoredPublication>> ClaimDueAsync(
        DateTimeOffset now, RelayBackoff backoff, int batchSize, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(backoff);
        var sql = OperationSql.For(db);
        // One next relay time per doubling below the cap, then the cap: the statement picks by each row's attempts.
        var relayAt = new List<DateTimeOffset>();
        for (var attempts = 1; backoff.DelayAfter(attempts) < backoff.MaxDelay; attempts++)
        {
            relayAt.Add(now + backoff.DelayAfter(attempts));
        }

        var statement = sql.ClaimDue(uncappedSteps: relayAt.Count);
        var values = new RelayClaimValues(now, batchSize, now + backoff.MaxDelay, relayAt);
        return await StoredPublications.ReadAsync(db, statement, values, cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask<int> DeleteExpiredOperationsAsync(DateTimeOffset now, int batchSize, CancellationToken cancellationToken) =>
        await RawSql.ExecuteAsync(db, OperationSql.For(db).DeleteExpired, new ExpiredRowsValues(now, batchSize), cancellationToken).ConfigureAwait(false);

    public async ValueTask<int> DeleteExpiredInboxEntriesAsync(DateTimeOffset now, int batchSize, CancellationToken cancellationToken) =>
        await RawSql.ExecuteAsync(db, InboxEntrySql.For(db).DeleteExpired, new ExpiredRowsValues(now, batchSize), cancellationToken).ConfigureAwait(false);

    private async Task<ExistingOperation?> InsertOrSelectAsync(OperationSql sql, AcceptanceValues parameters, CancellationToken cancellationToken)
    {
        try
        {
            return await ReadExistingAsync(sql.InsertOrSelect, parameters, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception exception) when (DatabaseErrors.IsUniqueViolation(exception))
        {
            // SQL Server's guarded insert can still lose a race on some isolation settings: read the winner.
            return await ReadExistingAsync(sql.SelectExisting, parameters, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task<ExistingOperation?> ReadExistingAsync(Statement<AcceptanceValues> statement, AcceptanceValues parameters, CancellationToken cancellationToken)
    {
        var reader = await RawSql.ReadAsync(db, statement, parameters, cancellationToken).ConfigureAwait(false);
        await using var readerLease = reader.ConfigureAwait(false);
        var row = reader.DbDataReader;
        if (!await row.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            return null;
        }

        var id = row.GetString(0);
        if (id == parameters.Id)
        {
            // Our own insert: the caller knows everything else about it.
            return new ExistingOperation(id, [], Inserted, DateTimeOffset.MaxValue);
        }

        var fingerprint = row.GetFieldValue<byte[]>(1);
        var response = new StoredResponse(
            row.GetInt32(2),
            StoredResponseHeaders.Deserialize(row.GetString(3)),
            row.GetFieldValue<byte[]>(4));
        return new ExistingOperation(row.GetString(0), fingerprint, response, row.GetFieldValue<DateTimeOffset>(5));
    }

    private static readonly StoredResponse Inserted = new(0, [], ReadOnlyMemory<byte>.Empty);

    private sealed record ExistingOperation(string Id, byte[] Fingerprint, StoredResponse Response, DateTimeOffset ExpiresAt);
}
