using Inbox.Claims;
using Inbox.EntityFrameworkCore.Sql;
using Inbox.Operations;
using Inbox.Stores;
using Microsoft.EntityFrameworkCore;

namespace Inbox.EntityFrameworkCore.Stores;

/// <summary>
/// The synchronous requests' claims on their operations, on the context's connection and current transaction: the
/// leased store runs each statement on its own, the unit of work inside its transaction.
/// </summary>
internal static class OperationClaims
{
    // An expired row can be swept or replaced, and a dead lease taken over, between two statements; each attempt
    // observes a newer state, so a handful always settles.
    private const int MaxAttempts = 8;

    private static readonly byte[] EmptyBody = [];

    public static async ValueTask<OperationClaim> ClaimAsync(
        DbContext db, OperationClaimRequest request, TimeSpan maxWait, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var sql = OperationClaimSql.For(db);

        // Microsoft.Data.Sqlite retries a locked database until the command timeout and ignores cancellation
        // meanwhile, so there the wait limit has to be the command timeout (as for an acceptance).
        var limitsByTimeout = sql.WaitsUntilCommandTimeout;
        var previousTimeout = db.Database.GetCommandTimeout();
        if (limitsByTimeout)
        {
            db.Database.SetCommandTimeout(Math.Max(1, (int)Math.Ceiling(maxWait.TotalSeconds)));
        }

        try
        {
            return await ClaimCoreAsync(db, sql, request, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception exception) when (DatabaseErrors.IsWaitTimeout(exception))
        {
            throw new TimeoutException("Another request holds this key and did not finish in time.", exception);
        }
        catch (Exception exception) when (DatabaseErrors.IsUnavailable(exception, cancellationToken))
        {
            throw new InboxStoreUnavailableException("The operation could not be claimed: the database is unavailable.", exception);
        }
        finally
        {
            if (limitsByTimeout)
            {
                db.Database.SetCommandTimeout(previousTimeout);
            }
        }
    }

    public static async ValueTask<OperationClaim?> FindAsync(DbContext db, OperationClaimRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.IdempotencyKey is null)
        {
            return null;
        }

        try
        {
            var existing = await ReadExistingAsync(db, OperationClaimSql.For(db).SelectExisting, Values(request), cancellationToken).ConfigureAwait(false);
            return existing is null || existing.ExpiresAt <= request.Now ? null : Outcome(existing, request);
        }
        catch (Exception exception) when (DatabaseErrors.IsUnavailable(exception, cancellationToken))
        {
            throw new InboxStoreUnavailableException("The operation could not be read: the database is unavailable.", exception);
        }
    }

    public static async ValueTask<bool> CompleteAsync(
        DbContext db, string operationId, string claimToken, StoredResponse response, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(response);
        var parameters = new OperationClaimEndValues(
            operationId, claimToken, response.StatusCode, StoredResponseHeaders.Serialize(response.Headers), Bytes.AsArray(response.Body), now);
        return await ExecuteAsync(db, OperationClaimSql.For(db).Complete, parameters, "completed", cancellationToken).ConfigureAwait(false) == 1;
    }

    public static async ValueTask<bool> ReleaseAsync(DbContext db, string operationId, string claimToken, CancellationToken cancellationToken) =>
        await ExecuteAsync(db, OperationClaimSql.For(db).Release, new OperationClaimEndValues(operationId, claimToken), "released", cancellationToken).ConfigureAwait(false) == 1;

    private static async Task<int> ExecuteAsync(DbContext db, Statement<OperationClaimEndValues> sql, OperationClaimEndValues parameters, string doing, CancellationToken cancellationToken)
    {
        try
        {
            return await RawSql.ExecuteAsync(db, sql, parameters, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception exception) when (DatabaseErrors.IsUnavailable(exception, cancellationToken))
        {
            throw new InboxStoreUnavailableException($"The operation could not be {doing}: the database is unavailable.", exception);
        }
    }

    private static async Task<OperationClaim> ClaimCoreAsync(DbContext db, OperationClaimSql sql, OperationClaimRequest request, CancellationToken cancellationToken)
    {
        var parameters = Values(request);
        var claimed = new OperationClaim(OperationClaimOutcome.Claimed, request.Id, request.Fingerprint, Response: null);

        if (request.IdempotencyKey is null)
        {
            await RawSql.ExecuteAsync(db, sql.Insert, parameters, cancellationToken).ConfigureAwait(false);
            return claimed;
        }

        for (var attempt = 0; attempt < MaxAttempts; attempt++)
        {
            var existing = await InsertOrSelectAsync(db, sql, parameters, cancellationToken).ConfigureAwait(false);
            if (existing is null)
            {
                continue;
            }

            if (existing.Id == request.Id)
            {
                return claimed;
            }

            parameters = parameters with { ExistingId = existing.Id };
            if (existing.ExpiresAt <= request.Now)
            {
                if (await RawSql.ExecuteAsync(db, sql.ReplaceExpired, parameters, cancellationToken).ConfigureAwait(false) == 1)
                {
                    return claimed;
                }

                continue;
            }

            if (Outcome(existing, request) is { } found)
            {
                return found;
            }

            if (await RawSql.ExecuteAsync(db, sql.TakeOver, parameters, cancellationToken).ConfigureAwait(false) == 1)
            {
                return claimed with { OperationId = existing.Id, Kind = ClaimKind.Takeover };
            }
        }

        throw new InvalidOperationException(
            $"The operation for this key kept changing under {MaxAttempts} attempts to claim it; retry the request.");
    }

    // A transactional claim's row lock holds it until the commit; its lease is already over, so that a row left
    // behind by a request that switched modes can be taken over.
    private static OperationClaimValues Values(OperationClaimRequest request) => new(
        request.Id, request.Scope.Tenant, request.Scope.Endpoint, request.IdempotencyKey, request.Fingerprint,
        request.RequestId, EmptyBody, request.Now, request.ExpiresAt, request.ClaimToken,
        request.LeaseExpiresAt ?? request.Now, request.TakeoverBefore);

    /// <summary>A live row as the request finds it: completed, held, or <see langword="null"/> when the request may take it over.</summary>
    private static OperationClaim? Outcome(ExistingOperation existing, OperationClaimRequest request)
    {
        if (existing.Response is not null)
        {
            return new OperationClaim(OperationClaimOutcome.Completed, existing.Id, existing.Fingerprint, existing.Response);
        }

        var sameRequest = existing.Fingerprint.AsSpan().SequenceEqual(request.Fingerprint);
        return !sameRequest || existing.LeaseExpiresAt >= request.TakeoverBefore
            ? new OperationClaim(OperationClaimOutcome.Held, existing.Id, existing.Fingerprint, Response: null, LeaseExpiresAt: existing.LeaseExpiresAt)
            : null;
    }

    private static async Task<ExistingOperation?> InsertOrSelectAsync(DbContext db, OperationClaimSql sql, OperationClaimValues parameters, CancellationToken cancellationToken)
    {
        try
        {
            return await ReadExistingAsync(db, sql.InsertOrSelect, parameters, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception exception) when (DatabaseErrors.IsUniqueViolation(exception) && db.Database.CurrentTransaction is null)
        {
            // SQL Server's guarded insert can still lose a race on some isolation settings: read the winner.
            return await ReadExistingAsync(db, sql.SelectExisting, parameters, cancellationToken).ConfigureAwait(false);
        }
    }

    private static async Task<ExistingOperation?> ReadExistingAsync(DbContext db, Statement<OperationClaimValues> statement, OperationClaimValues parameters, CancellationToken cancellationToken)
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
            return new ExistingOperation(id, [], null, DateTimeOffset.MaxValue, null);
        }

        var status = row.GetInt32(2);
        var response = status == 0
            ? null
            : new StoredResponse(status, StoredResponseHeaders.Deserialize(row.GetString(3)), row.GetFieldValue<byte[]>(4));
        return new ExistingOperation(
            id,
            row.GetFieldValue<byte[]>(1),
            response,
            row.GetFieldValue<DateTimeOffset>(5),
            row.IsDBNull(6) ? null : row.GetFieldValue<DateTimeOffset>(6));
    }

    private sealed record ExistingOperation(string Id, byte[] Fingerprint, StoredResponse? Response, DateTimeOffset ExpiresAt, DateTimeOffset? LeaseExpiresAt);
}
