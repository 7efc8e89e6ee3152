using Inbox.Claims;
using Inbox.EntityFrameworkCore.Sql;
using Inbox.Operations;
using Microsoft.EntityFrameworkCore;

namespace Inbox.EntityFrameworkCore.Inbox;

/// <summary>
/// The consumer inbox's statements over the application's context. Each runs on the context's connection and
/// joins its current transaction, so a transactional consumer's claim, writes and outcome commit together.
/// </summary>
internal static class InboxEntryStore
{
    /// <summary>
    /// Claims the entry (insert, or take over a failed entry or an expired lease) and reads it back, in one round
    /// trip; a leased claim that starts an operation does that in the same statement where the provider allows it,
    /// and moves the operation's relay time to <paramref name="relayDelay"/> after the lease, so the relay republishes
    /// it only if the consumer goes away.
    /// </summary>
    public static async Task<InboxClaimResult> ClaimAsync(DbContext db, InboxClaimRequest request, TimeSpan relayDelay, CancellationToken cancellationToken)
    {
        var sql = InboxEntrySql.For(db);
        var start = request is { LeaseExpiresAt: { } leaseExpiresAt, StartsOperationId: { } startsOperationId }
            ? new OperationStart(startsOperationId, leaseExpiresAt + relayDelay)
            : (OperationStart?)null;
        var startsInClaim = start is not null && sql.ClaimLeasedStartingOperation is not null;
        var statement = request.LeaseExpiresAt is null ? sql.ClaimTransactional
            : startsInClaim ? sql.ClaimLeasedStartingOperation!
            : sql.ClaimLeased;
        var parameters = new EntryClaimValues(request, startsInClaim ? start!.Value.RelayAt : null);

        var autocommit = db.Database.CurrentTransaction is null;
        try
        {
            if (start is not { } operation || startsInClaim)
            {
                return await ClaimOnlyAsync(db, sql, statement, parameters, request.ClaimToken, cancellationToken).ConfigureAwait(false);
            }

            // The claim and the operation's start commit together, or neither does.
            return await AtomicAsync(db, atomic: false, async cancel =>
            {
                var claim = await ClaimOnlyAsync(db, sql, statement, parameters, request.ClaimToken, cancel).ConfigureAwait(false);
                if (claim.Claimed)
                {
                    await StartOperationAsync(db, operation.OperationId, request.Now, operation.RelayAt, cancel).ConfigureAwait(false);
                }

                return claim;
            }, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception exception) when (DatabaseErrors.IsUniqueViolation(exception) && autocommit)
        {
            // SQL Server's guarded insert can still lose a race on some isolation settings: the winner holds it.
            return Gone;
        }
    }

    /// <summary>The claim statement; where it returns no row and does not read back, what holds the entry instead.</summary>
    private static async Task<InboxClaimResult> ClaimOnlyAsync(
        DbContext db, InboxEntrySql sql, Statement<EntryClaimValues> statement, EntryClaimValues parameters, string claimToken, CancellationToken cancellationToken) =>
        await ReadClaimAsync(db, statement, parameters, claimToken, cancellationToken).ConfigureAwait(false)
        ?? (sql.ClaimReadsBack
            ? Gone

            // Not claimable (a duplicate, or a live lease): read what holds it. Only this path costs a second statement.
            : await ReadClaimAsync(db, sql.ReadClaim, new EntryTransitionValues(parameters.Request.Consumer, parameters.Request.MessageKey, parameters.Request.Now), claimToken, cancellationToken).ConfigureAwait(false) ?? Gone);

    /// <summary>
    /// Runs <paramref name="work"/> so that all of it commits or none does: as it is inside the caller's transaction,
    /// or where <paramref name="atomic"/> says its one command already is; otherwise in a transaction of its own, under
    /// the application's execution strategy (a retrying strategy refuses transactions begun outside it). A retried
    /// execution runs <paramref name="work"/> again: each use is safe to repeat after an unknown commit outcome.
    /// </summary>
    private static async Task<T> AtomicAsync<T>(DbContext db, bool atomic, Func<CancellationToken, Task<T>> work, CancellationToken cancellationToken)
    {
        if (atomic || db.Database.CurrentTransaction is not null)
        {
            return await work(cancellationToken).ConfigureAwait(false);
        }

        return await db.Database.CreateExecutionStrategy().ExecuteAsync(
            async cancel =>
            {
                var transaction = await db.Database.BeginTransactionAsync(cancel).ConfigureAwait(false);
                await using var transactionLease = transaction.ConfigureAwait(false);
                var result = await work(cancel).ConfigureAwait(false);
                await transaction.CommitAsync(cancel).ConfigureAwait(false);
                return result;
            },
            cancellationToken).ConfigureAwait(false);
    }

    // Only a concurrent sweep of an expired entry leaves nothing to read; the next delivery claims afresh.
    private static readonly InboxClaimResult Gone = new(false, OperationStatus.Processing, 0, ClaimKind.Fresh, null);

    /// <summary>The entry as it stands, <see cref="InboxClaimResult.Claimed"/> when <paramref name="claimToken"/> holds it; <see langword="null"/> when there is none.</summary>
    public static Task<InboxClaimResult?> ReadClaimAsync(DbContext db, string consumer, string messageKey, string claimToken, CancellationToken cancellationToken) =>
        ReadClaimAsync(db, InboxEntrySql.For(db).ReadClaim, new EntryTransitionValues(consumer, messageKey, default), claimToken, cancellationToken);

    /// <summary>Records the result of a transactional claim (inside its transaction) and completes the operation.</summary>
    public static async Task CompleteTransactionalAsync(
        DbContext db, string consumer, string messageKey, string? resultJson, string? completesOperationId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var sql = InboxEntrySql.For(db);
        var statement = (resultJson, completesOperationId) switch
        {
            (null, null) => null,
            (not null, null) => sql.SetResult,
            (null, not null) => sql.SucceedOperation,
            _ => sql.SetResultAndSucceedOperation,
        };

        if (statement is not null)
        {
            var values = new EntryTransitionValues(consumer, messageKey, now) { Result = resultJson, OperationId = completesOperationId };
            await RawSql.ExecuteAsync(db, statement, values, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Completes the operation with the result of the consumer's succeeded entry, unless it already succeeded.</summary>
    public static Task<int> SucceedOperationFromEntryAsync(
        DbContext db, string consumer, string messageKey, string operationId, DateTimeOffset now, CancellationToken cancellationToken) =>
        RawSql.ExecuteAsync(
            db, InboxEntrySql.For(db).SucceedOperationFromEntry, new EntryTransitionValues(consumer, messageKey, now) { OperationId = operationId }, cancellationToken);

    /// <summary>Completes the operation with the result, unless it already succeeded.</summary>
    public static Task<int> SucceedOperationAsync(DbContext db, string operationId, string? resultJson, DateTimeOffset now, CancellationToken cancellationToken) =>
        RawSql.ExecuteAsync(
            db, InboxEntrySql.For(db).SucceedOperation, new EntryTransitionValues(null, null, now) { OperationId = operationId, Result = resultJson }, cancellationToken);

    /// <summary>
    /// Records the outcome of a leased claim; the operation is completed only when this delivery still held the
    /// lease. Returns whether it did.
    /// </summary>
    public static async Task<bool> CompleteLeasedAsync(
        DbContext db, string consumer, string messageKey, string claimToken, string? resultJson, string? completesOperationId, DateTimeOffset now,
        CancellationToken cancellationToken)
    {
        var sql = InboxEntrySql.For(db);
        var values = new EntryTransitionValues(consumer, messageKey, now) { ClaimToken = claimToken, Result = resultJson, OperationId = completesOperationId };
        var affected = completesOperationId is null
            ? await RawSql.ExecuteAsync(db, sql.CompleteLeased, values, cancellationToken).ConfigureAwait(false)
            : await AtomicAsync(
                db,
                sql.CommandIsAtomic,
                cancel => RawSql.ExecuteAsync(db, sql.CompleteLeasedAndSucceedOperation, values, cancel),
                cancellationToken).ConfigureAwait(false);

        // The operation update runs only after the entry update held, so any row affected means it held.
        return affected > 0;
    }

    /// <summary>
    /// Marks an accepted (or failed, when redriven) operation as processing, and moves its relay time past the
    /// lease so the relay republishes it only if the consumer goes away.
    /// </summary>
    public static Task<int> StartOperationAsync(DbContext db, string operationId, DateTimeOffset now, DateTimeOffset relayAt, CancellationToken cancellationToken) =>
        RawSql.ExecuteAsync(
            db, InboxEntrySql.For(db).StartOperation, new EntryTransitionValues(null, null, now) { OperationId = operationId, RelayAt = relayAt }, cancellationToken);

    /// <summary>Releases this delivery's claim after an attempt threw, so the next attempt claims at once.</summary>
    public static Task<int> ReleaseAttemptAsync(DbContext db, string consumer, string messageKey, string claimToken, DateTimeOffset now, CancellationToken cancellationToken) =>
        RawSql.ExecuteAsync(
            db, InboxEntrySql.For(db).ReleaseAttempt, new EntryTransitionValues(consumer, messageKey, now) { ClaimToken = claimToken }, cancellationToken);

    /// <summary>
    /// Records that retries are exhausted. The entry this delivery's lease held (<see cref="InboxFailure.HeldClaimToken"/>) is
    /// released as failed, so a redrive may run it, and the operation fails only when that release held. A delivery
    /// that held no lease (a transactional one, whose claims rolled back) claims the entry itself first, which waits
    /// for a copy's uncommitted claim: when the entry succeeded or another lease is live it records nothing; otherwise
    /// it fails the operation and leaves the entry as it found it, with the error on an entry that had failed before.
    /// A succeeded operation never fails.
    /// </summary>
    public static async Task RecordFailureAsync(DbContext db, InboxFailure failure, CancellationToken cancellationToken)
    {
        var sql = InboxEntrySql.For(db);
        var (consumer, messageKey, heldClaimToken, failsOperationId, errorCode, errorMessage, now, takeoverBefore) = failure;
        if (heldClaimToken is not null)
        {
            var statement = failsOperationId is null ? sql.ReleaseFailed : sql.ReleaseFailedAndFailOperation;
            var parameters = new EntryTransitionValues(consumer, messageKey, now)
            {
                ErrorCode = errorCode, ErrorMessage = errorMessage, ClaimToken = heldClaimToken, OperationId = failsOperationId,
            };
            await AtomicAsync(
                db, atomic: failsOperationId is null || sql.CommandIsAtomic, cancel => RawSql.ExecuteAsync(db, statement, parameters, cancel), cancellationToken)
                .ConfigureAwait(false);
            return;
        }

        if (failsOperationId is null)
        {
            // Held no lease and fails no operation: its attempts left nothing to record.
            return;
        }

        await AtomicAsync(db, atomic: false, async cancel =>
        {
            var token = Guid.NewGuid().ToString("N");
            var claim = await ClaimOnlyAsync(
                db, sql, sql.ClaimTransactional, new EntryClaimValues(new InboxClaimRequest(consumer, messageKey, failsOperationId, token, now, now, takeoverBefore, null)), token, cancel)
                .ConfigureAwait(false);
            if (!claim.Claimed)
            {
                return 0;
            }

            var values = new EntryTransitionValues(consumer, messageKey, now)
            {
                ClaimToken = token, ErrorCode = errorCode, ErrorMessage = errorMessage, OperationId = failsOperationId,
            };
            await RawSql.ExecuteAsync(db, claim.Kind == ClaimKind.Fresh ? sql.DeleteClaim : sql.FailClaim, values, cancel).ConfigureAwait(false);
            return await RawSql.ExecuteAsync(db, sql.FailOperation, values, cancel).ConfigureAwait(false);
        }, cancellationToken).ConfigureAwait(false);
    }

    private static async Task<InboxClaimResult?> ReadClaimAsync<TValues>(
        DbContext db, Statement<TValues> statement, TValues parameters, string claimToken, CancellationToken cancellationToken)
    {
        var reader = await RawSql.ReadAsync(db, statement, parameters, cancellationToken).ConfigureAwait(false);
        await using var readerLease = reader.ConfigureAwait(false);
        var row = reader.DbDataReader;
        if (!await row.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            return null;
        }

        return new InboxClaimResult(
            Claimed: row.GetString(0) == claimToken,
            Status: (OperationStatus)row.GetInt32(1),
            Attempt: row.GetInt32(2),
            Kind: (ClaimKind)row.GetInt32(3),
            LeaseExpiresAt: row.IsDBNull(4) ? null : row.GetFieldValue<DateTimeOffset>(4),
            OperationUnfinished: row.FieldCount > 5 && !row.IsDBNull(5));
    }

    private readonly record struct OperationStart(string OperationId, DateTimeOffset RelayAt);
}
