using System.Runtime.CompilerServices;
using Inbox.EntityFrameworkCore.Model;
using Inbox.Operations;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;

namespace Inbox.EntityFrameworkCore.Sql;

/// <summary>
/// The statements of the operations console's actions for one model and provider, each in two variants: scoped to
/// <c>@tenant</c>, and over every tenant (for an all-tenants operator). Each action is one guarded statement, so it
/// is atomic on every provider and never overwrites a transition a consumer or a request made meanwhile.
/// </summary>
internal sealed class ConsoleActionSql
{
    private static readonly ConditionalWeakTable<IModel, ConsoleActionSql> Cache = new();

    private readonly Statement<ConsoleActionValues>[] _redrive = new Statement<ConsoleActionValues>[2];
    private readonly Statement<ConsoleActionValues>[] _redriveGroup = new Statement<ConsoleActionValues>[2];
    private readonly Statement<ConsoleActionValues>[] _releaseSynchronous = new Statement<ConsoleActionValues>[2];
    private readonly Statement<ConsoleActionValues>[] _republishExpiredEntries = new Statement<ConsoleActionValues>[2];

    private ConsoleActionSql(TableNames o, TableNames e, ISqlDialect dialect)
    {
        var table = o.Table;
        string C(string property) => o[property];
        var id = C(nameof(InboxOperation.Id));
        var status = C(nameof(InboxOperation.Status));
        var expiresAt = C(nameof(InboxOperation.ExpiresAt));
        var relayAt = C(nameof(InboxOperation.RelayAt));
        var leaseExpiresAt = C(nameof(InboxOperation.LeaseExpiresAt));
        var processing = (int)OperationStatus.Processing;
        var failed = (int)OperationStatus.Failed;

        var columns = dialect.BindsColumnTypes
            ? new Dictionary<string, Microsoft.EntityFrameworkCore.Storage.RelationalTypeMapping>(OperationColumns.Of(o), StringComparer.Ordinal)
            {
                ["errorCode"] = o.Mapping(nameof(InboxOperation.ErrorCode)),
            }
            : null;
        Statement<ConsoleActionValues> Statement(string sql) => new(dialect.Statement(sql), ConsoleActionValues.Parameters, columns);

        // As the relay's claim returns them: id, tenant, endpoint, key, message type, message body, expires at, attempts.
        string[] publication =
        [
            .. new[]
            {
                nameof(InboxOperation.Id), nameof(InboxOperation.TenantId), nameof(InboxOperation.Endpoint),
                nameof(InboxOperation.IdempotencyKey), nameof(InboxOperation.MessageType), nameof(InboxOperation.MessageBody),
                nameof(InboxOperation.ExpiresAt), nameof(InboxOperation.RelayAttempts),
            }.Select(C),
        ];

        // Accepted again, as a fresh acceptance is: no error, the relay's backoff from the start, due one relay delay
        // from now in case the publish that follows is lost. Only a failed, unexpired operation with a message.
        var redrive =
            $"{status} = {(int)OperationStatus.Accepted}, {C(nameof(InboxOperation.ErrorCode))} = NULL, " +
            $"{C(nameof(InboxOperation.ErrorMessage))} = NULL, {C(nameof(InboxOperation.UpdatedAt))} = @now, " +
            $"{relayAt} = @relayAt, {C(nameof(InboxOperation.RelayAttempts))} = 0";
        var redrivable = $"{status} = {failed} AND {C(nameof(InboxOperation.MessageType))} <> '' AND {expiresAt} > @now";

        // A synchronous request's operation: processing with no response yet (status code 0), its lease expired.
        var synchronousExpired =
            $"{status} = {processing} AND {C(nameof(InboxOperation.ResponseStatus))} = 0 AND {leaseExpiresAt} <= @expiredBefore AND {expiresAt} > @now";

        // A consumer's operation under way whose entry's lease expired (that consumer went away).
        var entryExpired =
            $"{status} = {processing} AND {C(nameof(InboxOperation.MessageType))} <> '' AND {expiresAt} > @now AND EXISTS (SELECT 1 FROM {e.Table} " +
            $"WHERE {e.Table}.{e[nameof(InboxEntry.OperationId)]} = {table}.{id} AND {e.Table}.{e[nameof(InboxEntry.Status)]} = {processing} " +
            $"AND {e.Table}.{e[nameof(InboxEntry.LeaseExpiresAt)]} <= @expiredBefore)";

        foreach (var scoped in new[] { false, true })
        {
            var tenant = scoped ? $" AND {C(nameof(InboxOperation.TenantId))} = @tenant" : string.Empty;
            var variant = scoped ? 1 : 0;

            // Waits for a row a consumer's transaction holds, so its outcome is judged committed: never a succeeded one.
            _redrive[variant] = Statement(dialect.UpdateReturning(table, redrive, $"{id} = @id AND {redrivable}{tenant}", publication));
            _redriveGroup[variant] = Statement(dialect.UpdateBatch(
                table, id, redrive,
                $"{redrivable} AND {C(nameof(InboxOperation.ErrorCode))} = @errorCode AND {C(nameof(InboxOperation.Endpoint))} = @endpoint{tenant}",
                C(nameof(InboxOperation.UpdatedAt)), publication));

            // Its token stays, so a holder that was only slow still completes it if no retry took it over.
            _releaseSynchronous[variant] = Statement(dialect.UpdateBatch(
                table, id, $"{leaseExpiresAt} = NULL, {C(nameof(InboxOperation.UpdatedAt))} = @now", synchronousExpired + tenant, leaseExpiresAt, [id]));
            _republishExpiredEntries[variant] = Statement(dialect.UpdateBatch(
                table, id, $"{relayAt} = @relayAt", entryExpired + tenant, relayAt, publication));
        }
    }

    /// <summary>Redrives the failed operation <c>@id</c>; returns its publication columns when it did.</summary>
    public Statement<ConsoleActionValues> Redrive(bool scoped) => _redrive[scoped ? 1 : 0];

    /// <summary>Redrives up to <c>@batchSize</c> failed operations of <c>@endpoint</c> with <c>@errorCode</c>; returns their publication columns.</summary>
    public Statement<ConsoleActionValues> RedriveGroup(bool scoped) => _redriveGroup[scoped ? 1 : 0];

    /// <summary>Clears up to <c>@batchSize</c> synchronous requests' leases that expired before <c>@expiredBefore</c>; returns their ids.</summary>
    public Statement<ConsoleActionValues> ReleaseSynchronous(bool scoped) => _releaseSynchronous[scoped ? 1 : 0];

    /// <summary>
    /// Makes up to <c>@batchSize</c> processing operations whose inbox entry's lease expired before <c>@expiredBefore</c>
    /// due at <c>@relayAt</c>; returns their publication columns.
    /// </summary>
    public Statement<ConsoleActionValues> RepublishExpiredEntries(bool scoped) => _republishExpiredEntries[scoped ? 1 : 0];

    public static ConsoleActionSql For(DbContext db) =>
        Cache.GetValue(db.Model, _ => new ConsoleActionSql(
            TableNames.For<InboxOperation>(db), TableNames.For<InboxEntry>(db), DatabaseProviders.Dialect(db)));
}
