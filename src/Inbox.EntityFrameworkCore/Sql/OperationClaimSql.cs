using System.Runtime.CompilerServices;
using Inbox.EntityFrameworkCore.Model;
using Inbox.Operations;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;

namespace Inbox.EntityFrameworkCore.Sql;

/// <summary>
/// The statements that claim an operation for a synchronous request, complete it with the handler's response, or
/// release it. A claimed row is <c>processing</c> with no response (status code 0) and holds the claim's token; its
/// relay time is its expiry, so the relay, which republishes only rows due before they expire, never takes it.
/// </summary>
internal sealed class OperationClaimSql
{
    private static readonly ConditionalWeakTable<IModel, OperationClaimSql> Cache = new();

    private OperationClaimSql(TableNames t, DatabaseProvider provider)
    {
        Provider = provider;
        var table = t.Table;
        string C(string property) => t[property];
        var tenant = C(nameof(InboxOperation.TenantId));
        var endpoint = C(nameof(InboxOperation.Endpoint));
        var idempotencyKey = C(nameof(InboxOperation.IdempotencyKey));
        var id = C(nameof(InboxOperation.Id));
        var responseStatus = C(nameof(InboxOperation.ResponseStatus));
        var leaseToken = C(nameof(InboxOperation.LeaseToken));
        var leaseExpiresAt = C(nameof(InboxOperation.LeaseExpiresAt));
        var key = $"{tenant} = {{1}} AND {endpoint} = {{2}} AND {idempotencyKey} = {{3}}";
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
        var insertValues = $"{{0}}, {{1}}, {{2}}, {{3}}, {{4}}, {processing}, {{5}}, 0, '[]', {{6}}, '', {{6}}, {{7}}, {{7}}, {{8}}, {{8}}, {{9}}, {{10}}";
        var existingColumns = string.Join(", ", new[]
        {
            nameof(InboxOperation.Id), nameof(InboxOperation.Fingerprint), nameof(InboxOperation.ResponseStatus),
            nameof(InboxOperation.ResponseHeaders), nameof(InboxOperation.ResponseBody), nameof(InboxOperation.ExpiresAt),
            nameof(InboxOperation.LeaseExpiresAt),
        }.Select(C));
        var selectExisting = $"SELECT {existingColumns} FROM {table} WHERE {key}";

        var idMapping = t.Mapping(nameof(InboxOperation.Id));
        var tokenMapping = t.Mapping(nameof(InboxOperation.LeaseToken));
        // The string columns of a claim's parameters, by position, for SQL Server (see SqlServerStatements).
        RelationalTypeMapping?[] claimed =
        [
            idMapping, t.Mapping(nameof(InboxOperation.TenantId)), t.Mapping(nameof(InboxOperation.Endpoint)),
            t.Mapping(nameof(InboxOperation.IdempotencyKey)), null, t.Mapping(nameof(InboxOperation.RequestId)), null,
            null, null, tokenMapping, null, idMapping,
        ];
        string Statement(string sql, params RelationalTypeMapping?[] parameterColumns) => SqlServerStatements.For(provider, sql, parameterColumns);

        Insert = Statement($"INSERT INTO {table} ({insertColumns}) VALUES ({insertValues})", claimed);

        InsertOrSelect = Statement(provider switch
        {
            // As the acceptance's: the insert's own row, else the live row it conflicted with, else (a row committed
            // after the statement began) nothing, and the store reads again.
            DatabaseProvider.PostgreSql =>
                $"WITH inserted AS (INSERT INTO {table} ({insertColumns}) VALUES ({insertValues}) " +
                $"ON CONFLICT ({tenant}, {endpoint}, {idempotencyKey}) DO NOTHING RETURNING {id}) " +
                $"SELECT {id}, NULL::bytea, 0, NULL::text, NULL::bytea, NULL::timestamptz, NULL::timestamptz FROM inserted UNION ALL {selectExisting}",
            DatabaseProvider.SqlServer =>
                $"INSERT INTO {table} ({insertColumns}) SELECT {insertValues} " +
                $"WHERE NOT EXISTS (SELECT 1 FROM {table} WITH (UPDLOCK, HOLDLOCK) WHERE {key});\n{selectExisting};",
            _ =>
                $"INSERT INTO {table} ({insertColumns}) VALUES ({insertValues}) " +
                $"ON CONFLICT ({tenant}, {endpoint}, {idempotencyKey}) DO NOTHING;\n{selectExisting};",
        }, claimed);

        SelectExisting = Statement(selectExisting, claimed);

        ReplaceExpired = Statement(
            $"UPDATE {table} SET {id} = {{0}}, {C(nameof(InboxOperation.Fingerprint))} = {{4}}, " +
            $"{C(nameof(InboxOperation.Status))} = {processing}, {C(nameof(InboxOperation.RequestId))} = {{5}}, " +
            $"{responseStatus} = 0, {C(nameof(InboxOperation.ResponseHeaders))} = '[]', {C(nameof(InboxOperation.ResponseBody))} = {{6}}, " +
            $"{C(nameof(InboxOperation.MessageType))} = '', {C(nameof(InboxOperation.MessageBody))} = {{6}}, " +
            $"{C(nameof(InboxOperation.Result))} = NULL, {C(nameof(InboxOperation.ErrorCode))} = NULL, {C(nameof(InboxOperation.ErrorMessage))} = NULL, " +
            $"{C(nameof(InboxOperation.CreatedAt))} = {{7}}, {C(nameof(InboxOperation.UpdatedAt))} = {{7}}, " +
            $"{C(nameof(InboxOperation.ExpiresAt))} = {{8}}, {C(nameof(InboxOperation.RelayAt))} = {{8}}, " +
            $"{C(nameof(InboxOperation.RelayAttempts))} = 0, {leaseToken} = {{9}}, {leaseExpiresAt} = {{10}} " +
            $"WHERE {key} AND {id} = {{11}} AND {C(nameof(InboxOperation.ExpiresAt))} <= {{7}}",
            claimed);

        // An unfinished row of the same request (same fingerprint) whose holder's lease is dead: {12} takeover before.
        TakeOver = Statement(
            $"UPDATE {table} SET {leaseToken} = {{9}}, {leaseExpiresAt} = {{10}}, {C(nameof(InboxOperation.UpdatedAt))} = {{7}} " +
            $"WHERE {id} = {{11}} AND {responseStatus} = 0 AND {C(nameof(InboxOperation.ExpiresAt))} > {{7}} " +
            $"AND {C(nameof(InboxOperation.Fingerprint))} = {{4}} AND ({leaseExpiresAt} IS NULL OR {leaseExpiresAt} < {{12}})",
            claimed);

        var held = $"WHERE {id} = {{0}} AND {leaseToken} = {{1}} AND {responseStatus} = 0";
        Complete = Statement(
            $"UPDATE {table} SET {C(nameof(InboxOperation.Status))} = {(int)OperationStatus.Succeeded}, {responseStatus} = {{2}}, " +
            $"{C(nameof(InboxOperation.ResponseHeaders))} = {{3}}, {C(nameof(InboxOperation.ResponseBody))} = {{4}}, " +
            $"{C(nameof(InboxOperation.UpdatedAt))} = {{5}}, {leaseToken} = NULL, {leaseExpiresAt} = NULL {held}",
            idMapping, tokenMapping, null, t.Mapping(nameof(InboxOperation.ResponseHeaders)));

        Release = Statement($"DELETE FROM {table} {held}", idMapping, tokenMapping);
    }

    public DatabaseProvider Provider { get; }

    /// <summary>Inserts a claimed operation without a key: parameters as <see cref="InsertOrSelect"/>.</summary>
    public string Insert { get; }

    /// <summary>
    /// Inserts the claimed operation unless the scope and key exist, then reads the live row in the same round trip.
    /// {0} id, {1} tenant, {2} endpoint, {3} key, {4} fingerprint, {5} request id, {6} an empty body, {7} now,
    /// {8} expires at, {9} claim token, {10} lease expires at. Returns id, fingerprint, response status, headers,
    /// body, expires at, lease expires at.
    /// </summary>
    public string InsertOrSelect { get; }

    /// <summary>Reads the row of a scope and key: {1} tenant, {2} endpoint, {3} key; columns as <see cref="InsertOrSelect"/>.</summary>
    public string SelectExisting { get; }

    /// <summary>Replaces an expired row in place: parameters as <see cref="InsertOrSelect"/>, {11} the expired row's id.</summary>
    public string ReplaceExpired { get; }

    /// <summary>
    /// Takes over the unfinished row {11} when its fingerprint is {4} and its lease expired before {12}, under the new
    /// token {9} and lease {10}; parameters otherwise as <see cref="InsertOrSelect"/>.
    /// </summary>
    public string TakeOver { get; }

    /// <summary>{0} id, {1} claim token, {2} response status, {3} response headers, {4} response body, {5} now.</summary>
    public string Complete { get; }

    /// <summary>{0} id, {1} claim token.</summary>
    public string Release { get; }

    public static OperationClaimSql For(DbContext db) =>
        Cache.GetValue(db.Model, _ => new OperationClaimSql(TableNames.For<InboxOperation>(db), DatabaseProviders.Detect(db)));
}
