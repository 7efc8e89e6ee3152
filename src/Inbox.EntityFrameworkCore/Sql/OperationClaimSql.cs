using System.Runtime.CompilerServices;
using Inbox.EntityFrameworkCore.Model;
using Inbox.Operations;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;

namespace Inbox.EntityFrameworkCore.Sql;

/// <summary>
/// The statements that claim an operation for a synchronous request, complete it with the handler's response, or
/// release it. A claimed row is <c>processing</c> with no response (status code 0) and holds the claim's token; its
/// relay time is its expiry, so the relay, which republishes only rows due before they expire, never takes it.
/// </summary>
internal sealed class OperationClaimSql
{
    private static readonly ConditionalWeakTable<IModel, OperationClaimSql> Cache = new();

    private OperationClaimSql(TableNames t, ISqlDialect dialect)
    {
        Provider = dialect.Provider;
        WaitsUntilCommandTimeout = dialect.WaitsUntilCommandTimeout;
        var table = t.Table;
        string C(string property) => t[property];
        var id = C(nameof(InboxOperation.Id));
        var responseStatus = C(nameof(InboxOperation.ResponseStatus));
        var leaseToken = C(nameof(InboxOperation.LeaseToken));
        var leaseExpiresAt = C(nameof(InboxOperation.LeaseExpiresAt));
        var rowKey = new RowKey(
            (C(nameof(InboxOperation.TenantId)), "tenant"), (C(nameof(InboxOperation.Endpoint)), "endpoint"),
            (C(nameof(InboxOperation.IdempotencyKey)), "idempotencyKey"));
        var key = rowKey.Condition();
        var processing = (int)OperationStatus.Processing;

        var insertColumns = string.Join(", ", new[]
        {
            nameof(InboxOperation.Id), nameof(InboxOperation.TenantId), nameof(InboxOperation.Endpoint),
            nameof(InboxOperation.IdempotencyKey), nameof(InboxOperation.Fingerprint), nameof(InboxOperation.Status),
            nameof(InboxOperation.RequestId), nameof(InboxOperation.ResponseStatus), nameof(InboxOperation.ResponseHeaders),
            nameof(InboxOperation.ResponseBody), nameof(InboxOperation.MessageType), nameof(InboxOperation.MessageBody),
            nameof(InboxOperation.CreatedAt), nameof(InboxOperation.UpdatedAt), nameof(InboxOperation.ExpiresAt),
            nameof(InboxOperation.RelayAt), nameof(InboxOperation.LeaseToken), nameof(InboxOperation.LeaseExpiresAt),
        }.Select(C));
        var insertValues =
            $"@id, @tenant, @endpoint, @idempotencyKey, @fingerprint, {processing}, @requestId, 0, '[]', @emptyBody, '', @emptyBody, " +
            "@now, @now, @expiresAt, @expiresAt, @claimToken, @leaseExpiresAt";
        var existingColumns = string.Join(", ", new[]
        {
            nameof(InboxOperation.Id), nameof(InboxOperation.Fingerprint), nameof(InboxOperation.ResponseStatus),
            nameof(InboxOperation.ResponseHeaders), nameof(InboxOperation.ResponseBody), nameof(InboxOperation.ExpiresAt),
            nameof(InboxOperation.LeaseExpiresAt),
        }.Select(C));
        var selectExisting = $"SELECT {existingColumns} FROM {table} WHERE {key}";

        // The columns the string parameters go to, for a dialect that binds them with the columns' types.
        var columns = dialect.BindsColumnTypes ? OperationColumns.Of(t) : null;
        Statement<TValues> Statement<TValues>(string sql, StatementParameters<TValues> parameters) => new(dialect.Statement(sql), parameters, columns);

        Insert = Statement($"INSERT INTO {table} ({insertColumns}) VALUES ({insertValues})", OperationClaimValues.Parameters);

        // As the acceptance's: the insert's own row, else the live row it conflicted with, else (a row committed
        // after the statement began) nothing, and the store reads again.
        InsertOrSelect = Statement(
            dialect.InsertOrSelect(
                table, rowKey, insertColumns, insertValues, id,
                [typeof(byte[]), typeof(int), typeof(string), typeof(byte[]), typeof(DateTimeOffset), typeof(DateTimeOffset?)], selectExisting),
            OperationClaimValues.Parameters);

        SelectExisting = Statement(selectExisting, OperationClaimValues.Parameters);

        ReplaceExpired = Statement(
            $"UPDATE {table} SET {id} = @id, {C(nameof(InboxOperation.Fingerprint))} = @fingerprint, " +
            $"{C(nameof(InboxOperation.Status))} = {processing}, {C(nameof(InboxOperation.RequestId))} = @requestId, " +
            $"{responseStatus} = 0, {C(nameof(InboxOperation.ResponseHeaders))} = '[]', {C(nameof(InboxOperation.ResponseBody))} = @emptyBody, " +
            $"{C(nameof(InboxOperation.MessageType))} = '', {C(nameof(InboxOperation.MessageBody))} = @emptyBody, " +
            $"{C(nameof(InboxOperation.Result))} = NULL, {C(nameof(InboxOperation.ErrorCode))} = NULL, {C(nameof(InboxOperation.ErrorMessage))} = NULL, " +
            $"{C(nameof(InboxOperation.CreatedAt))} = @now, {C(nameof(InboxOperation.UpdatedAt))} = @now, " +
            $"{C(nameof(InboxOperation.ExpiresAt))} = @expiresAt, {C(nameof(InboxOperation.RelayAt))} = @expiresAt, " +
            $"{C(nameof(InboxOperation.RelayAttempts))} = 0, {leaseToken} = @claimToken, {leaseExpiresAt} = @leaseExpiresAt " +
            $"WHERE {key} AND {id} = @existingId AND {C(nameof(InboxOperation.ExpiresAt))} <= @now",
            OperationClaimValues.Parameters);

        // An unfinished row of the same request (same fingerprint) whose holder's lease is dead.
        TakeOver = Statement(
            $"UPDATE {table} SET {leaseToken} = @claimToken, {leaseExpiresAt} = @leaseExpiresAt, {C(nameof(InboxOperation.UpdatedAt))} = @now " +
            $"WHERE {id} = @existingId AND {responseStatus} = 0 AND {C(nameof(InboxOperation.ExpiresAt))} > @now " +
            $"AND {C(nameof(InboxOperation.Fingerprint))} = @fingerprint AND ({leaseExpiresAt} IS NULL OR {leaseExpiresAt} < @takeoverBefore)",
            OperationClaimValues.Parameters);

        var held = $"WHERE {id} = @id AND {leaseToken} = @claimToken AND {responseStatus} = 0";
        Complete = Statement(
            $"UPDATE {table} SET {C(nameof(InboxOperation.Status))} = {(int)OperationStatus.Succeeded}, {responseStatus} = @responseStatus, " +
            $"{C(nameof(InboxOperation.ResponseHeaders))} = @responseHeaders, {C(nameof(InboxOperation.ResponseBody))} = @responseBody, " +
            $"{C(nameof(InboxOperation.UpdatedAt))} = @now, {leaseToken} = NULL, {leaseExpiresAt} = NULL {held}",
            OperationClaimEndValues.Parameters);

        Release = Statement($"DELETE FROM {table} {held}", OperationClaimEndValues.Parameters);
    }

    public DatabaseProvider Provider { get; }

    /// <summary>See <see cref="ISqlDialect.WaitsUntilCommandTimeout"/>.</summary>
    public bool WaitsUntilCommandTimeout { get; }

    /// <summary>Inserts a claimed operation without a key.</summary>
    public Statement<OperationClaimValues> Insert { get; }

    /// <summary>
    /// Inserts the claimed operation unless the scope and key exist, then reads the live row in the same round trip.
    /// Returns id, fingerprint, response status, headers, body, expires at, lease expires at.
    /// </summary>
    public Statement<OperationClaimValues> InsertOrSelect { get; }

    /// <summary>Reads the row of a scope and key; columns as <see cref="InsertOrSelect"/>.</summary>
    public Statement<OperationClaimValues> SelectExisting { get; }

    /// <summary>Replaces the expired row <see cref="OperationClaimValues.ExistingId"/> in place.</summary>
    public Statement<OperationClaimValues> ReplaceExpired { get; }

    /// <summary>
    /// Takes over the unfinished row <see cref="OperationClaimValues.ExistingId"/> when its fingerprint is the
    /// request's and its lease expired before <see cref="OperationClaimValues.TakeoverBefore"/>, under the new token and lease.
    /// </summary>
    public Statement<OperationClaimValues> TakeOver { get; }

    /// <summary>Completes the claimed operation with the handler's response.</summary>
    public Statement<OperationClaimEndValues> Complete { get; }

    /// <summary>Removes the claimed operation.</summary>
    public Statement<OperationClaimEndValues> Release { get; }

    public static OperationClaimSql For(DbContext db) =>
        Cache.GetValue(db.Model, _ => new OperationClaimSql(TableNames.For<InboxOperation>(db), DatabaseProviders.Dialect(db)));
}
