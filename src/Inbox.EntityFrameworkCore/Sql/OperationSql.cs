using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Inbox.EntityFrameworkCore.Model;
using Inbox.Operations;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;

namespace Inbox.EntityFrameworkCore.Sql;

/// <summary>
/// The statements of the operation store for one model and provider, built once from the model's table and
/// column names. Parameter positions are documented on each statement.
/// </summary>
internal sealed class OperationSql
{
    private static readonly ConditionalWeakTable<IModel, OperationSql> Cache = new();

    private readonly Func<int, string> _buildClaimDue;
    private readonly ConcurrentDictionary<int, string> _claimDueBySteps = new();

    private OperationSql(TableNames t, DatabaseProvider provider)
    {
        Provider = provider;
        var table = t.Table;
        var key = $"{t[nameof(InboxOperation.TenantId)]} = {{1}} AND {t[nameof(InboxOperation.Endpoint)]} = {{2}} AND {t[nameof(InboxOperation.IdempotencyKey)]} = {{3}}";
        var insertColumns = string.Join(", ", new[]
        {
            nameof(InboxOperation.Id), nameof(InboxOperation.TenantId), nameof(InboxOperation.Endpoint),
            nameof(InboxOperation.IdempotencyKey), nameof(InboxOperation.Fingerprint), nameof(InboxOperation.Status),
            nameof(InboxOperation.RequestId), nameof(InboxOperation.ResponseStatus), nameof(InboxOperation.ResponseHeaders),
            nameof(InboxOperation.ResponseBody), nameof(InboxOperation.MessageType), nameof(InboxOperation.MessageBody),
            nameof(InboxOperation.CreatedAt), nameof(InboxOperation.UpdatedAt), nameof(InboxOperation.ExpiresAt),
            nameof(InboxOperation.RelayAt),
        }.Select(p => t[p]));
        const string insertValues = "{0}, {1}, {2}, {3}, {4}, 0, {5}, {6}, {7}, {8}, {9}, {10}, {11}, {11}, {12}, {13}";
        var acceptColumns = string.Join(", ", new[]
        {
            nameof(InboxOperation.Id), nameof(InboxOperation.Fingerprint), nameof(InboxOperation.ResponseStatus),
            nameof(InboxOperation.ResponseHeaders), nameof(InboxOperation.ResponseBody), nameof(InboxOperation.ExpiresAt),
        }.Select(p => t[p]));
        var selectExisting = $"SELECT {acceptColumns} FROM {table} WHERE {key}";

        // The string columns of the acceptance's parameters, by position, for SQL Server (see SqlServerStatements).
        var idMapping = t.Mapping(nameof(InboxOperation.Id));
        RelationalTypeMapping?[] accepted =
        [
            idMapping, t.Mapping(nameof(InboxOperation.TenantId)), t.Mapping(nameof(InboxOperation.Endpoint)),
            t.Mapping(nameof(InboxOperation.IdempotencyKey)), null, t.Mapping(nameof(InboxOperation.RequestId)), null,
            t.Mapping(nameof(InboxOperation.ResponseHeaders)), null, t.Mapping(nameof(InboxOperation.MessageType)),
            null, null, null, null, idMapping,
        ];
        string Statement(string sql, params RelationalTypeMapping?[] parameterColumns) => SqlServerStatements.For(provider, sql, parameterColumns);

        Insert = Statement($"INSERT INTO {table} ({insertColumns}) VALUES ({insertValues})", accepted);

        InsertOrSelect = Statement(provider switch
        {
            // One statement: the insert's own row when it inserted, else the live row it conflicted with. A row
            // committed by a concurrent acceptance after the statement began is in neither: then no row comes
            // back and the store reads again.
            DatabaseProvider.PostgreSql =>
                $"WITH inserted AS (INSERT INTO {table} ({insertColumns}) VALUES ({insertValues}) " +
                $"ON CONFLICT ({t[nameof(InboxOperation.TenantId)]}, {t[nameof(InboxOperation.Endpoint)]}, {t[nameof(InboxOperation.IdempotencyKey)]}) DO NOTHING " +
                $"RETURNING {t[nameof(InboxOperation.Id)]}) " +
                $"SELECT {t[nameof(InboxOperation.Id)]}, NULL::bytea, 0, NULL::text, NULL::bytea, NULL::timestamptz FROM inserted UNION ALL {selectExisting}",
            DatabaseProvider.SqlServer =>
                $"INSERT INTO {table} ({insertColumns}) SELECT {insertValues} " +
                $"WHERE NOT EXISTS (SELECT 1 FROM {table} WITH (UPDLOCK, HOLDLOCK) WHERE {key});\n{selectExisting};",
            _ =>
                $"INSERT INTO {table} ({insertColumns}) VALUES ({insertValues}) " +
                $"ON CONFLICT ({t[nameof(InboxOperation.TenantId)]}, {t[nameof(InboxOperation.Endpoint)]}, {t[nameof(InboxOperation.IdempotencyKey)]}) DO NOTHING;\n{selectExisting};",
        }, accepted);

        SelectExisting = Statement(selectExisting, accepted);

        ReplaceExpired = Statement(
            $"UPDATE {table} SET {t[nameof(InboxOperation.Id)]} = {{0}}, {t[nameof(InboxOperation.Fingerprint)]} = {{4}}, " +
            $"{t[nameof(InboxOperation.Status)]} = {(int)OperationStatus.Accepted}, {t[nameof(InboxOperation.RequestId)]} = {{5}}, " +
            $"{t[nameof(InboxOperation.ResponseStatus)]} = {{6}}, {t[nameof(InboxOperation.ResponseHeaders)]} = {{7}}, " +
            $"{t[nameof(InboxOperation.ResponseBody)]} = {{8}}, {t[nameof(InboxOperation.MessageType)]} = {{9}}, " +
            $"{t[nameof(InboxOperation.MessageBody)]} = {{10}}, {t[nameof(InboxOperation.Result)]} = NULL, " +
            $"{t[nameof(InboxOperation.ErrorCode)]} = NULL, {t[nameof(InboxOperation.ErrorMessage)]} = NULL, " +
            $"{t[nameof(InboxOperation.CreatedAt)]} = {{11}}, {t[nameof(InboxOperation.UpdatedAt)]} = {{11}}, " +
            $"{t[nameof(InboxOperation.ExpiresAt)]} = {{12}}, {t[nameof(InboxOperation.RelayAt)]} = {{13}}, " +
            $"{t[nameof(InboxOperation.RelayAttempts)]} = 0 " +
            $"WHERE {key} AND {t[nameof(InboxOperation.Id)]} = {{14}} AND {t[nameof(InboxOperation.ExpiresAt)]} <= {{11}}",
            accepted);

        Find = Statement(
            $"SELECT {t[nameof(InboxOperation.Id)]}, {t[nameof(InboxOperation.Status)]}, {t[nameof(InboxOperation.CreatedAt)]}, " +
            $"{t[nameof(InboxOperation.UpdatedAt)]}, {t[nameof(InboxOperation.Result)]}, {t[nameof(InboxOperation.ErrorCode)]}, " +
            $"{t[nameof(InboxOperation.ErrorMessage)]} FROM {table} " +
            $"WHERE {t[nameof(InboxOperation.Id)]} = {{0}} AND {t[nameof(InboxOperation.TenantId)]} = {{1}} AND {t[nameof(InboxOperation.ExpiresAt)]} > {{2}}",
            idMapping, t.Mapping(nameof(InboxOperation.TenantId)));

        var relayColumns = new[]
        {
            nameof(InboxOperation.Id), nameof(InboxOperation.TenantId), nameof(InboxOperation.Endpoint),
            nameof(InboxOperation.IdempotencyKey), nameof(InboxOperation.MessageType), nameof(InboxOperation.MessageBody),
            nameof(InboxOperation.ExpiresAt), nameof(InboxOperation.RelayAttempts),
        }.Select(p => t[p]).ToArray();

        // Accepted operations never taken, and processing ones whose consumer went away (see StartOperation).
        var due = $"{t[nameof(InboxOperation.Status)]} < {(int)OperationStatus.Succeeded} AND {t[nameof(InboxOperation.RelayAt)]} <= {{0}} AND {t[nameof(InboxOperation.ExpiresAt)]} > {{0}}";
        var id = t[nameof(InboxOperation.Id)];
        var relayAt = t[nameof(InboxOperation.RelayAt)];
        var expiresAt = t[nameof(InboxOperation.ExpiresAt)];

        var relayAttempts = t[nameof(InboxOperation.RelayAttempts)];

        // The next relay time by the attempts a claim finds: {3 + n} for n earlier attempts, {2} (the cap) after
        // them. The right-hand sides read the row as it was before the update on every provider.
        string Backoff(int uncappedSteps)
        {
            var whens = Enumerable.Range(0, uncappedSteps).Select(n => $"WHEN {n} THEN {{{3 + n}}}");
            var next = uncappedSteps == 0 ? "{2}" : $"CASE {relayAttempts} {string.Join(" ", whens)} ELSE {{2}} END";
            return $"{relayAt} = {next}, {relayAttempts} = {relayAttempts} + 1";
        }

        _buildClaimDue = uncappedSteps => Statement(provider switch
        {
            DatabaseProvider.PostgreSql =>
                $"UPDATE {table} SET {Backoff(uncappedSteps)} WHERE {id} IN (SELECT {id} FROM {table} WHERE {due} " +
                $"ORDER BY {relayAt} LIMIT {{1}} FOR UPDATE SKIP LOCKED) RETURNING {string.Join(", ", relayColumns)}",
            DatabaseProvider.SqlServer =>
                $"UPDATE TOP ({{1}}) {table} WITH (UPDLOCK, READPAST, ROWLOCK) SET {Backoff(uncappedSteps)} " +
                $"OUTPUT {string.Join(", ", relayColumns.Select(c => "inserted." + c))} WHERE {due}",
            _ =>
                $"UPDATE {table} SET {Backoff(uncappedSteps)} WHERE {id} IN (SELECT {id} FROM {table} WHERE {due} " +
                $"ORDER BY {relayAt} LIMIT {{1}}) RETURNING {string.Join(", ", relayColumns)}",
        });

        // Deletes: {0} now, {1} batch size.
        DeleteExpired = Statement(provider switch
        {
            DatabaseProvider.PostgreSql =>
                $"DELETE FROM {table} WHERE {id} IN (SELECT {id} FROM {table} WHERE {expiresAt} <= {{0}} LIMIT {{1}} FOR UPDATE SKIP LOCKED)",
            DatabaseProvider.SqlServer =>
                $"DELETE TOP ({{1}}) FROM {table} WITH (ROWLOCK, READPAST) WHERE {expiresAt} <= {{0}}",
            _ =>
                $"DELETE FROM {table} WHERE {id} IN (SELECT {id} FROM {table} WHERE {expiresAt} <= {{0}} LIMIT {{1}})",
        });
    }

    public DatabaseProvider Provider { get; }

    /// <summary>Inserts an operation without a key: {0}..{13} as <see cref="InsertOrSelect"/>.</summary>
    public string Insert { get; }

    /// <summary>
    /// Inserts unless the scope and key exist, then reads the live row in the same round trip.
    /// {0} id, {1} tenant, {2} endpoint, {3} key, {4} fingerprint, {5} request id, {6} response status,
    /// {7} response headers, {8} response body, {9} message type, {10} message body, {11} now, {12} expires at,
    /// {13} relay at. Returns id, fingerprint, response status, headers, body, expires at.
    /// </summary>
    public string InsertOrSelect { get; }

    /// <summary>Reads the row of a scope and key: {1} tenant, {2} endpoint, {3} key.</summary>
    public string SelectExisting { get; }

    /// <summary>Replaces an expired row in place: parameters as <see cref="InsertOrSelect"/>, {14} the expired row's id.</summary>
    public string ReplaceExpired { get; }

    /// <summary>{0} id, {1} tenant, {2} now. Returns id, status, created, updated, result, error code, error message.</summary>
    public string Find { get; }

    /// <summary>
    /// Claims due operations, adds one to their attempts and moves their relay time by the backoff, in one statement.
    /// {0} now, {1} batch size, {2} the next relay time at the cap, and {3 + n}, for each n below
    /// <paramref name="uncappedSteps"/>, the next relay time of an operation claimed after n earlier attempts.
    /// Returns id, tenant, endpoint, key, message type, message body, expires at, attempts (this one included).
    /// </summary>
    public string ClaimDue(int uncappedSteps) => _claimDueBySteps.GetOrAdd(uncappedSteps, _buildClaimDue);

    /// <summary>{0} now, {1} batch size.</summary>
    public string DeleteExpired { get; }

    public static OperationSql For(DbContext db) =>
        Cache.GetValue(db.Model, _ => new OperationSql(TableNames.For<InboxOperation>(db), DatabaseProviders.Detect(db)));
}
