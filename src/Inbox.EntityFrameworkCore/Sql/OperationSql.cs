using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Inbox.EntityFrameworkCore.Model;
using Inbox.Operations;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;

namespace Inbox.EntityFrameworkCore.Sql;

/// <summary>
/// The statements of the operation store for one model and provider, built once from the model's table and
/// column names. Parameter positions are documented on each statement.
/// </summary>
internal sealed class OperationSql
{
    private static readonly ConditionalWeakTable<IModel, OperationSql> Cache = new();

    private readonly Func<int, Statement<RelayClaimValues>> _buildClaimDue;
    private readonly ConcurrentDictionary<int, Statement<RelayClaimValues>> _claimDueBySteps = new();

    private OperationSql(TableNames t, ISqlDialect dialect)
    {
        Provider = dialect.Provider;
        WaitsUntilCommandTimeout = dialect.WaitsUntilCommandTimeout;
        var table = t.Table;
        var rowKey = new RowKey(
            (t[nameof(InboxOperation.TenantId)], "tenant"), (t[nameof(InboxOperation.Endpoint)], "endpoint"),
            (t[nameof(InboxOperation.IdempotencyKey)], "idempotencyKey"));
        var key = rowKey.Condition();
        var insertColumns = string.Join(", ", new[]
        {
            nameof(InboxOperation.Id), nameof(InboxOperation.TenantId), nameof(InboxOperation.Endpoint),
            nameof(InboxOperation.IdempotencyKey), nameof(InboxOperation.Fingerprint), nameof(InboxOperation.Status),
            nameof(InboxOperation.RequestId), nameof(InboxOperation.ResponseStatus), nameof(InboxOperation.ResponseHeaders),
            nameof(InboxOperation.ResponseBody), nameof(InboxOperation.MessageType), nameof(InboxOperation.MessageBody),
            nameof(InboxOperation.CreatedAt), nameof(InboxOperation.UpdatedAt), nameof(InboxOperation.ExpiresAt),
            nameof(InboxOperation.RelayAt),
        }.Select(p => t[p]));
        const string insertValues =
            "@id, @tenant, @endpoint, @idempotencyKey, @fingerprint, 0, @requestId, @responseStatus, @responseHeaders, @responseBody, " +
            "@messageType, @messageBody, @now, @now, @expiresAt, @relayAt";
        var acceptColumnNames = new[]
        {
            nameof(InboxOperation.Id), nameof(InboxOperation.Fingerprint), nameof(InboxOperation.ResponseStatus),
            nameof(InboxOperation.ResponseHeaders), nameof(InboxOperation.ResponseBody), nameof(InboxOperation.ExpiresAt),
        }.Select(p => t[p]).ToArray();
        var acceptColumns = string.Join(", ", acceptColumnNames);
        var selectExisting = $"SELECT {acceptColumns} FROM {table} WHERE {key}";

        // The columns the string parameters go to, for a dialect that binds them with the columns' types.
        var columns = dialect.BindsColumnTypes ? OperationColumns.Of(t) : null;
        Statement<TValues> Statement<TValues>(string sql, StatementParameters<TValues> parameters) => new(dialect.Statement(sql), parameters, columns);

        Insert = Statement($"INSERT INTO {table} ({insertColumns}) VALUES ({insertValues})", AcceptanceValues.Parameters);

        InsertOrSelect = Statement(
            dialect.InsertOrSelect(
                table, rowKey, insertColumns, insertValues, t[nameof(InboxOperation.Id)],
                [typeof(byte[]), typeof(int), typeof(string), typeof(byte[]), typeof(DateTimeOffset)], selectExisting),
            AcceptanceValues.Parameters);

        SelectExisting = Statement(selectExisting, AcceptanceValues.Parameters);

        if (dialect is PostgreSqlDialect postgres)
        {
            InsertOrSelectBatch = Statement(
                postgres.InsertOrSelectBatch(
                    table,
                    [t[nameof(InboxOperation.TenantId)], t[nameof(InboxOperation.Endpoint)], t[nameof(InboxOperation.IdempotencyKey)]],
                    insertColumns,
                    acceptColumnNames,
                    t[nameof(InboxOperation.Id)],
                    [typeof(byte[]), typeof(int), typeof(string), typeof(byte[]), typeof(DateTimeOffset)]),
                AcceptanceBatchValues.Parameters);
        }

        ReplaceExpired = Statement(
            $"UPDATE {table} SET {t[nameof(InboxOperation.Id)]} = @id, {t[nameof(InboxOperation.Fingerprint)]} = @fingerprint, " +
            $"{t[nameof(InboxOperation.Status)]} = {(int)OperationStatus.Accepted}, {t[nameof(InboxOperation.RequestId)]} = @requestId, " +
            $"{t[nameof(InboxOperation.ResponseStatus)]} = @responseStatus, {t[nameof(InboxOperation.ResponseHeaders)]} = @responseHeaders, " +
            $"{t[nameof(InboxOperation.ResponseBody)]} = @responseBody, {t[nameof(InboxOperation.MessageType)]} = @messageType, " +
            $"{t[nameof(InboxOperation.MessageBody)]} = @messageBody, {t[nameof(InboxOperation.Result)]} = NULL, " +
            $"{t[nameof(InboxOperation.ErrorCode)]} = NULL, {t[nameof(InboxOperation.ErrorMessage)]} = NULL, " +
            $"{t[nameof(InboxOperation.CreatedAt)]} = @now, {t[nameof(InboxOperation.UpdatedAt)]} = @now, " +
            $"{t[nameof(InboxOperation.ExpiresAt)]} = @expiresAt, {t[nameof(InboxOperation.RelayAt)]} = @relayAt, " +
            $"{t[nameof(InboxOperation.RelayAttempts)]} = 0 " +
            $"WHERE {key} AND {t[nameof(InboxOperation.Id)]} = @expiredId AND {t[nameof(InboxOperation.ExpiresAt)]} <= @now",
            AcceptanceValues.Parameters);

        Find = Statement(
            $"SELECT {t[nameof(InboxOperation.Id)]}, {t[nameof(InboxOperation.Status)]}, {t[nameof(InboxOperation.CreatedAt)]}, " +
            $"{t[nameof(InboxOperation.UpdatedAt)]}, {t[nameof(InboxOperation.Result)]}, {t[nameof(InboxOperation.ErrorCode)]}, " +
            $"{t[nameof(InboxOperation.ErrorMessage)]} FROM {table} " +
            $"WHERE {t[nameof(InboxOperation.Id)]} = @id AND {t[nameof(InboxOperation.TenantId)]} = @tenant AND {t[nameof(InboxOperation.ExpiresAt)]} > @now",
            LookupValues.Parameters);

        var relayColumns = new[]
        {
            nameof(InboxOperation.Id), nameof(InboxOperation.TenantId), nameof(InboxOperation.Endpoint),
            nameof(InboxOperation.IdempotencyKey), nameof(InboxOperation.MessageType), nameof(InboxOperation.MessageBody),
            nameof(InboxOperation.ExpiresAt), nameof(InboxOperation.RelayAttempts),
        }.Select(p => t[p]).ToArray();

        // Accepted operations never taken, and processing ones whose consumer went away (see StartOperation).
        var due = $"{t[nameof(InboxOperation.Status)]} < {(int)OperationStatus.Succeeded} AND {t[nameof(InboxOperation.RelayAt)]} <= @now AND {t[nameof(InboxOperation.ExpiresAt)]} > @now";
        var id = t[nameof(InboxOperation.Id)];
        var relayAt = t[nameof(InboxOperation.RelayAt)];
        var expiresAt = t[nameof(InboxOperation.ExpiresAt)];

        var relayAttempts = t[nameof(InboxOperation.RelayAttempts)];

        // The next relay time by the attempts a claim finds: one for each number of earlier attempts, the cap after
        // them. The right-hand sides read the row as it was before the update on every provider.
        string Backoff(int uncappedSteps)
        {
            var whens = Enumerable.Range(0, uncappedSteps).Select(n => $"WHEN {n} THEN @{RelayClaimValues.RelayAtName(n)}");
            var next = uncappedSteps == 0 ? "@cappedRelayAt" : $"CASE {relayAttempts} {string.Join(" ", whens)} ELSE @cappedRelayAt END";
            return $"{relayAt} = {next}, {relayAttempts} = {relayAttempts} + 1";
        }

        _buildClaimDue = uncappedSteps => Statement(
            dialect.UpdateBatch(table, id, Backoff(uncappedSteps), due, relayAt, relayColumns), RelayClaimValues.Parameters(uncappedSteps));

        DeleteExpired = Statement(dialect.DeleteBatch(table, [id], $"{expiresAt} <= @now"), ExpiredRowsValues.Parameters);

        // Two scalar subqueries, so one round trip answers both; each reads all tenants, expired rows included.
        var status = t[nameof(InboxOperation.Status)];
        var createdAt = t[nameof(InboxOperation.CreatedAt)];
        var oldestAccepted = dialect.SelectFirst(table, createdAt, $"{status} = {(int)OperationStatus.Accepted}", createdAt);
        var failedSince = $"SELECT COUNT(*) FROM {table} WHERE {status} = {(int)OperationStatus.Failed} AND {t[nameof(InboxOperation.UpdatedAt)]} >= @failedSince";
        Health = Statement($"SELECT ({oldestAccepted}), ({failedSince})", HealthValues.Parameters);
    }

    public DatabaseProvider Provider { get; }

    /// <summary>See <see cref="ISqlDialect.WaitsUntilCommandTimeout"/>.</summary>
    public bool WaitsUntilCommandTimeout { get; }

    /// <summary>Inserts an operation without a key.</summary>
    public Statement<AcceptanceValues> Insert { get; }

    /// <summary>
    /// Inserts unless the scope and key exist, then reads the live row in the same round trip. Returns id,
    /// fingerprint, response status, headers, body, expires at.
    /// </summary>
    public Statement<AcceptanceValues> InsertOrSelect { get; }

    /// <summary>
    /// PostgreSQL only (<see langword="null"/> elsewhere): the group commit's statement, which inserts every acceptance of
    /// a batch whose key is free and reads the rows of the keys that were taken, in one statement and one commit.
    /// Returns the batch index (null for an inserted row), id, fingerprint, response status, headers, body, expires at:
    /// an inserted row by its id, a taken key's row by the index of the acceptance it blocked. A key committed by
    /// another transaction after the statement began is in neither.
    /// </summary>
    public Statement<AcceptanceBatchValues>? InsertOrSelectBatch { get; }

    /// <summary>Reads the row of a scope and key.</summary>
    public Statement<AcceptanceValues> SelectExisting { get; }

    /// <summary>Replaces the expired row <see cref="AcceptanceValues.ExpiredId"/> in place.</summary>
    public Statement<AcceptanceValues> ReplaceExpired { get; }

    /// <summary>Returns id, status, created, updated, result, error code, error message.</summary>
    public Statement<LookupValues> Find { get; }

    /// <summary>
    /// Claims due operations, adds one to their attempts and moves their relay time by the backoff, in one statement,
    /// with <paramref name="uncappedSteps"/> relay times below the cap. Returns id, tenant, endpoint, key, message type,
    /// message body, expires at, attempts (this one included).
    /// </summary>
    public Statement<RelayClaimValues> ClaimDue(int uncappedSteps) => _claimDueBySteps.GetOrAdd(uncappedSteps, _buildClaimDue);

    public Statement<ExpiredRowsValues> DeleteExpired { get; }

    /// <summary>
    /// Returns the creation time of the oldest accepted operation (null when none is) and the number of operations
    /// that failed (their status last changed) at or after <see cref="HealthValues.FailedSince"/>.
    /// </summary>
    public Statement<HealthValues> Health { get; }

    public static OperationSql For(DbContext db) =>
        Cache.GetValue(db.Model, _ => new OperationSql(TableNames.For<InboxOperation>(db), DatabaseProviders.Dialect(db)));
}
