using System.Runtime.CompilerServices;
using Inbox.Claims;
using Inbox.EntityFrameworkCore.Model;
using Inbox.Operations;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;

namespace Inbox.EntityFrameworkCore.Sql;

/// <summary>The statements of the consumer inbox for one model and provider, built once from the model.</summary>
internal sealed class InboxEntrySql
{
    private static readonly ConditionalWeakTable<IModel, InboxEntrySql> Cache = new();

    private InboxEntrySql(TableNames e, TableNames o, DatabaseProvider provider)
    {
        var entries = e.Table;
        var key = $"{e[nameof(InboxEntry.Consumer)]} = {{0}} AND {e[nameof(InboxEntry.MessageKey)]} = {{1}}";
        string C(string property) => e[property];

        // Statuses and claim kinds as the enums number them, written into the SQL as constants.
        var accepted = (int)OperationStatus.Accepted;
        var processing = (int)OperationStatus.Processing;
        var succeeded = (int)OperationStatus.Succeeded;
        var failed = (int)OperationStatus.Failed;
        var fresh = (int)ClaimKind.Fresh;
        var redrive = (int)ClaimKind.Redrive;
        var takeover = (int)ClaimKind.Takeover;

        // The string columns of each statement's parameters, by position, for SQL Server (see SqlServerStatements).
        var consumerType = e.Mapping(nameof(InboxEntry.Consumer));
        var messageKeyType = e.Mapping(nameof(InboxEntry.MessageKey));
        var claimTokenType = e.Mapping(nameof(InboxEntry.ClaimToken));
        var resultType = e.Mapping(nameof(InboxEntry.Result));
        var errorCodeType = e.Mapping(nameof(InboxEntry.ErrorCode));
        var errorMessageType = e.Mapping(nameof(InboxEntry.ErrorMessage));
        var operationIdType = o.Mapping(nameof(InboxOperation.Id));
        string Statement(string sql, params RelationalTypeMapping?[] parameterColumns) =>
            SqlServerStatements.For(provider, sql, [consumerType, messageKeyType, .. parameterColumns]);
        string OperationStatement(string sql, params RelationalTypeMapping?[] parameterColumns) =>
            SqlServerStatements.For(provider, sql, [operationIdType, .. parameterColumns]);

        var claimColumns =
            $"{C(nameof(InboxEntry.ClaimToken))}, {C(nameof(InboxEntry.Status))}, {C(nameof(InboxEntry.Attempt))}, " +
            $"{C(nameof(InboxEntry.ClaimKind))}, {C(nameof(InboxEntry.LeaseExpiresAt))}";
        var operations = o.Table;
        var opId = o[nameof(InboxOperation.Id)];
        var opStatus = o[nameof(InboxOperation.Status)];

        // A sixth column, 1 when the entry's operation exists and is still accepted or processing (else NULL): a
        // duplicate that finds the entry succeeded then completes it, with no extra round trip when all is well. A
        // failed operation is terminal and stays so until a redrive.
        var readClaim =
            $"SELECT {claimColumns}, (SELECT 1 FROM {operations} WHERE {operations}.{opId} = {entries}.{C(nameof(InboxEntry.OperationId))} " +
            $"AND {operations}.{opStatus} IN ({accepted}, {processing})) FROM {entries} WHERE {key}";
        ReadClaim = Statement(readClaim);

        var insertColumns = string.Join(", ", new[]
        {
            nameof(InboxEntry.Consumer), nameof(InboxEntry.MessageKey), nameof(InboxEntry.Status), nameof(InboxEntry.OperationId),
            nameof(InboxEntry.ClaimToken), nameof(InboxEntry.Attempt), nameof(InboxEntry.ClaimKind), nameof(InboxEntry.LeaseExpiresAt),
            nameof(InboxEntry.CreatedAt), nameof(InboxEntry.UpdatedAt), nameof(InboxEntry.ExpiresAt),
        }.Select(C));

        // A claim: {0} consumer, {1} message key, {2} operation id, {3} claim token, {4} now, {5} expires at,
        // {6} leases that expired before this instant may be taken over, {7} lease expiry (leased mode only).
        // Claimable: no entry, a failed entry (redrive), or a processing entry whose lease has expired.
        string Claim(int status, string lease)
        {
            var values = $"{{0}}, {{1}}, {status}, {{2}}, {{3}}, 1, {fresh}, {lease}, {{4}}, {{4}}, {{5}}";
            var claimable = $"{{alias}}{C(nameof(InboxEntry.Status))} = {failed} OR ({{alias}}{C(nameof(InboxEntry.Status))} = {processing} AND {{alias}}{C(nameof(InboxEntry.LeaseExpiresAt))} <= {{6}})";
            var set =
                $"{C(nameof(InboxEntry.Status))} = {status}, {C(nameof(InboxEntry.ClaimToken))} = {{3}}, " +
                $"{C(nameof(InboxEntry.Attempt))} = {{alias}}{C(nameof(InboxEntry.Attempt))} + 1, " +
                $"{C(nameof(InboxEntry.ClaimKind))} = CASE WHEN {{alias}}{C(nameof(InboxEntry.Status))} = {processing} THEN {takeover} ELSE {redrive} END, " +
                $"{C(nameof(InboxEntry.LeaseExpiresAt))} = {lease}, {C(nameof(InboxEntry.OperationId))} = {{2}}, " +
                $"{C(nameof(InboxEntry.ErrorCode))} = NULL, {C(nameof(InboxEntry.ErrorMessage))} = NULL, " +
                $"{C(nameof(InboxEntry.UpdatedAt))} = {{4}}, {C(nameof(InboxEntry.ExpiresAt))} = {{5}}";

            return Statement(provider switch
            {
                DatabaseProvider.SqlServer =>
                    $"UPDATE t SET {set.Replace("{alias}", "t.", StringComparison.Ordinal)} FROM {entries} AS t WITH (UPDLOCK, HOLDLOCK) " +
                    $"WHERE t.{C(nameof(InboxEntry.Consumer))} = {{0}} AND t.{C(nameof(InboxEntry.MessageKey))} = {{1}} AND ({claimable.Replace("{alias}", "t.", StringComparison.Ordinal)});\n" +
                    $"IF @@ROWCOUNT = 0 INSERT INTO {entries} ({insertColumns}) SELECT {values} " +
                    $"WHERE NOT EXISTS (SELECT 1 FROM {entries} WITH (UPDLOCK, HOLDLOCK) WHERE {key});\n{readClaim};",
                // One statement: it returns the row only when this delivery claimed it (inserted or took it over).
                _ =>
                    $"INSERT INTO {entries} AS t ({insertColumns}) VALUES ({values}) " +
                    $"ON CONFLICT ({C(nameof(InboxEntry.Consumer))}, {C(nameof(InboxEntry.MessageKey))}) DO UPDATE SET {set.Replace("{alias}", "t.", StringComparison.Ordinal)} " +
                    $"WHERE {claimable.Replace("{alias}", "t.", StringComparison.Ordinal)} RETURNING {claimColumns}",
            }, e.Mapping(nameof(InboxEntry.OperationId)), claimTokenType);
        }

        ClaimReadsBack = provider == DatabaseProvider.SqlServer;
        CommandIsAtomic = provider == DatabaseProvider.PostgreSql;

        ClaimTransactional = Claim(status: succeeded, lease: "NULL");
        ClaimLeased = Claim(status: processing, lease: "{7}");

        var setResult = $"UPDATE {entries} SET {C(nameof(InboxEntry.Result))} = {{2}}, {C(nameof(InboxEntry.UpdatedAt))} = {{3}} WHERE {key}";

        var completeLeased =
            $"UPDATE {entries} SET {C(nameof(InboxEntry.Status))} = {succeeded}, {C(nameof(InboxEntry.Result))} = {{2}}, " +
            $"{C(nameof(InboxEntry.LeaseExpiresAt))} = NULL, {C(nameof(InboxEntry.UpdatedAt))} = {{3}} " +
            $"WHERE {key} AND {C(nameof(InboxEntry.ClaimToken))} = {{4}} AND {C(nameof(InboxEntry.Status))} = {processing}";

        ReleaseAttempt = Statement(
            $"UPDATE {entries} SET {C(nameof(InboxEntry.Status))} = {failed}, {C(nameof(InboxEntry.LeaseExpiresAt))} = NULL, {C(nameof(InboxEntry.UpdatedAt))} = {{2}} " +
            $"WHERE {key} AND {C(nameof(InboxEntry.ClaimToken))} = {{3}} AND {C(nameof(InboxEntry.Status))} = {processing}",
            null, claimTokenType);

        // A failure ends this delivery's own claim only ({5} its claim token), never a lease another delivery took over.
        var releaseFailed =
            $"UPDATE {entries} SET {C(nameof(InboxEntry.Status))} = {failed}, {C(nameof(InboxEntry.LeaseExpiresAt))} = NULL, " +
            $"{C(nameof(InboxEntry.ErrorCode))} = {{2}}, {C(nameof(InboxEntry.ErrorMessage))} = {{3}}, {C(nameof(InboxEntry.UpdatedAt))} = {{4}} " +
            $"WHERE {key} AND {C(nameof(InboxEntry.ClaimToken))} = {{5}} AND {C(nameof(InboxEntry.Status))} IN ({processing}, {failed})";

        // A succeeded operation never changes again.
        string Succeed(string id, string result, string now) =>
            $"UPDATE {operations} SET {opStatus} = {succeeded}, {o[nameof(InboxOperation.Result)]} = {result}, " +
            $"{o[nameof(InboxOperation.ErrorCode)]} = NULL, {o[nameof(InboxOperation.ErrorMessage)]} = NULL, {o[nameof(InboxOperation.UpdatedAt)]} = {now} " +
            $"WHERE {opId} = {id} AND {opStatus} <> {succeeded}";

        var succeedOperation = Succeed("{0}", "{1}", "{2}");

        // The operation is completed only if this delivery still held the lease, which the first statement proves.
        var completeLeasedAndSucceedOperation =
            completeLeased + ";\n" + Succeed("{5}", "{2}", "{3}") +
            $" AND EXISTS (SELECT 1 FROM {entries} WHERE {key} AND {C(nameof(InboxEntry.ClaimToken))} = {{4}} AND {C(nameof(InboxEntry.Status))} = {succeeded});";
        var setResultAndSucceedOperation = setResult + ";\n" + Succeed("{4}", "{2}", "{3}") + ";";
        SetResult = Statement(setResult, resultType);
        CompleteLeased = Statement(completeLeased, resultType, null, claimTokenType);
        CompleteLeasedAndSucceedOperation = Statement(completeLeasedAndSucceedOperation, resultType, null, claimTokenType, operationIdType);
        SetResultAndSucceedOperation = Statement(setResultAndSucceedOperation, resultType, null, operationIdType);
        SucceedOperation = OperationStatement(succeedOperation, o.Mapping(nameof(InboxOperation.Result)));

        // {0} consumer, {1} message key, {2} operation id, {3} now: the result of the consumer's succeeded entry.
        var succeededEntry = $"FROM {entries} WHERE {key} AND {C(nameof(InboxEntry.Status))} = {succeeded}";
        SucceedOperationFromEntry = Statement(
            Succeed("{2}", $"(SELECT {C(nameof(InboxEntry.Result))} {succeededEntry})", "{3}") + $" AND {opStatus} IN ({accepted}, {processing}) AND EXISTS (SELECT 1 {succeededEntry})",
            operationIdType);

        // The one-batch save's own statements on PostgreSQL, where they join the consumer's inserts in one batch.
        if (provider == DatabaseProvider.PostgreSql)
        {
            InsertSucceededBatched = RawSql.Positional(
                $"INSERT INTO {entries} ({insertColumns}, {C(nameof(InboxEntry.Result))}) " +
                $"VALUES ({{0}}, {{1}}, {succeeded}, {{2}}, {{3}}, 1, {fresh}, NULL, {{4}}, {{4}}, {{5}}, {{6}})");
            SucceedOperationBatched = RawSql.Positional(succeedOperation);
        }

        // {0} operation id, {1} now, {2} when the relay should republish it if the consumer goes away meanwhile.
        string Start(string id, string now, string relayAt) =>
            $"UPDATE {operations} SET {opStatus} = {processing}, {o[nameof(InboxOperation.UpdatedAt)]} = {now}, {o[nameof(InboxOperation.RelayAt)]} = {relayAt} " +
            $"WHERE {opId} = {id} AND {opStatus} IN ({accepted}, {failed})";
        StartOperation = OperationStatement(Start("{0}", "{1}", "{2}"));

        // PostgreSQL runs every data-modifying CTE once, so the operation starts in the claim's round trip, and only
        // when the claim returned this delivery's row.
        ClaimLeasedStartingOperation = provider == DatabaseProvider.PostgreSql
            ? $"WITH claimed AS ({ClaimLeased}), started AS ({Start("{8}", "{4}", "{9}")} AND EXISTS (SELECT 1 FROM claimed)) SELECT * FROM claimed"
            : null;

        // A succeeded operation is never failed.
        string Fail(string id, string code, string message, string now) =>
            $"UPDATE {operations} SET {opStatus} = {failed}, {o[nameof(InboxOperation.ErrorCode)]} = {code}, " +
            $"{o[nameof(InboxOperation.ErrorMessage)]} = {message}, {o[nameof(InboxOperation.UpdatedAt)]} = {now} " +
            $"WHERE {opId} = {id} AND {opStatus} IN ({accepted}, {processing})";
        // The operation fails only when this delivery's release held ({6} operation id)...
        var releaseFailedAndFailOperation =
            releaseFailed + ";\n" + Fail("{6}", "{2}", "{3}", "{4}") +
            $" AND EXISTS (SELECT 1 FROM {entries} WHERE {key} AND {C(nameof(InboxEntry.ClaimToken))} = {{5}} AND {C(nameof(InboxEntry.Status))} = {failed});";

        // A delivery that held no lease fails the operation only after it has claimed the entry itself, which waits for
        // a copy's uncommitted claim: {0} consumer, {1} message key, {2} the claim's token.
        var deleteClaim = $"DELETE FROM {entries} WHERE {key} AND {C(nameof(InboxEntry.ClaimToken))} = {{2}}";
        var failClaim =
            $"UPDATE {entries} SET {C(nameof(InboxEntry.Status))} = {failed}, {C(nameof(InboxEntry.LeaseExpiresAt))} = NULL, " +
            $"{C(nameof(InboxEntry.Attempt))} = {C(nameof(InboxEntry.Attempt))} - 1, " +
            $"{C(nameof(InboxEntry.ErrorCode))} = {{2}}, {C(nameof(InboxEntry.ErrorMessage))} = {{3}}, {C(nameof(InboxEntry.UpdatedAt))} = {{4}} " +
            $"WHERE {key} AND {C(nameof(InboxEntry.ClaimToken))} = {{5}}";
        DeleteClaim = Statement(deleteClaim, claimTokenType);
        FailClaim = Statement(failClaim, errorCodeType, errorMessageType, null, claimTokenType);
        FailOperation = OperationStatement(Fail("{0}", "{1}", "{2}", "{3}"), o.Mapping(nameof(InboxOperation.ErrorCode)), o.Mapping(nameof(InboxOperation.ErrorMessage)));
        ReleaseFailed = Statement(releaseFailed, errorCodeType, errorMessageType, null, claimTokenType);
        ReleaseFailedAndFailOperation = Statement(releaseFailedAndFailOperation, errorCodeType, errorMessageType, null, claimTokenType, operationIdType);

        var consumer = C(nameof(InboxEntry.Consumer));
        var messageKey = C(nameof(InboxEntry.MessageKey));
        var expiresAt = C(nameof(InboxEntry.ExpiresAt));
        DeleteExpired = SqlServerStatements.For(provider, provider switch
        {
            DatabaseProvider.PostgreSql =>
                $"DELETE FROM {entries} WHERE ({consumer}, {messageKey}) IN (SELECT {consumer}, {messageKey} FROM {entries} " +
                $"WHERE {expiresAt} <= {{0}} LIMIT {{1}} FOR UPDATE SKIP LOCKED)",
            DatabaseProvider.SqlServer =>
                $"DELETE TOP ({{1}}) FROM {entries} WITH (ROWLOCK, READPAST) WHERE {expiresAt} <= {{0}}",
            _ =>
                $"DELETE FROM {entries} WHERE rowid IN (SELECT rowid FROM {entries} WHERE {expiresAt} <= {{0}} LIMIT {{1}})",
        });
    }

    /// <summary>
    /// Whether the claim statements read the entry back themselves (SQL Server); otherwise they return a row only
    /// when they claimed it, and <see cref="ReadClaim"/> reads an entry that was not claimable.
    /// </summary>
    public bool ClaimReadsBack { get; }

    /// <summary>
    /// Whether one command of several statements commits or fails as a whole outside a transaction (PostgreSQL runs
    /// it as one implicit transaction); elsewhere each statement commits on its own, so a transition that changes the
    /// entry and the operation needs a transaction.
    /// </summary>
    public bool CommandIsAtomic { get; }

    /// <summary>{0} consumer, {1} message key. Returns the claim columns, then whether the entry's operation is unfinished.</summary>
    public string ReadClaim { get; }

    /// <summary>Claims in transactional mode (the entry is written as succeeded; the transaction makes it true). See the claim parameters.</summary>
    public string ClaimTransactional { get; }

    /// <summary>Claims in leased mode: processing, with a lease ({7}).</summary>
    public string ClaimLeased { get; }

    /// <summary>
    /// <see cref="ClaimLeased"/> that also starts operation {8} with relay time {9} when it claims, in one statement;
    /// <see langword="null"/> where the provider needs two (then <see cref="StartOperation"/> follows the claim).
    /// </summary>
    public string? ClaimLeasedStartingOperation { get; }

    /// <summary>{0} consumer, {1} message key, {2} result, {3} now.</summary>
    public string SetResult { get; }

    /// <summary>{0} consumer, {1} message key, {2} result, {3} now, {4} claim token. One row when the delivery still held the lease.</summary>
    public string CompleteLeased { get; }

    /// <summary>{0} consumer, {1} message key, {2} now, {3} claim token. Lets the next attempt claim at once after this one threw.</summary>
    public string ReleaseAttempt { get; }

    /// <summary>
    /// {0} consumer, {1} message key, {2} error code, {3} error message, {4} now, {5} claim token. Records the error on
    /// the entry this delivery's lease held and releases it.
    /// </summary>
    public string ReleaseFailed { get; }


    /// <summary>{0} operation id, {1} result, {2} now.</summary>
    public string SucceedOperation { get; }

    /// <summary>{0} consumer, {1} message key, {2} operation id, {3} now. Completes an accepted or processing operation with the result of the consumer's succeeded entry.</summary>
    public string SucceedOperationFromEntry { get; }

    /// <summary><see cref="CompleteLeased"/> then, if it held, <see cref="SucceedOperation"/>, in one round trip: {5} operation id.</summary>
    public string CompleteLeasedAndSucceedOperation { get; }

    /// <summary><see cref="SetResult"/> and <see cref="SucceedOperation"/> in one round trip: {0} consumer, {1} message key, {2} result, {3} now, {4} operation id.</summary>
    public string SetResultAndSucceedOperation { get; }

    /// <summary>
    /// A fresh entry written as succeeded, for a batch on PostgreSQL (positional parameters): $1 consumer, $2 message
    /// key, $3 operation id, $4 claim token, $5 now, $6 expires at, $7 result. <see langword="null"/> elsewhere.
    /// </summary>
    public string? InsertSucceededBatched { get; }

    /// <summary><see cref="SucceedOperation"/> for a batch on PostgreSQL (positional parameters); <see langword="null"/> elsewhere.</summary>
    public string? SucceedOperationBatched { get; }

    /// <summary>{0} operation id, {1} now, {2} relay time.</summary>
    public string StartOperation { get; }

    /// <summary>
    /// <see cref="ReleaseFailed"/>, then, if it held, the operation {6} fails with the same error unless it succeeded,
    /// in one round trip.
    /// </summary>
    public string ReleaseFailedAndFailOperation { get; }

    /// <summary>{0} consumer, {1} message key, {2} claim token. Removes an entry the failure record's own claim inserted.</summary>
    public string DeleteClaim { get; }

    /// <summary>
    /// {0} consumer, {1} message key, {2} error code, {3} error message, {4} now, {5} claim token. Marks the entry the
    /// failure record claimed failed again, without counting that claim as an attempt.
    /// </summary>
    public string FailClaim { get; }

    /// <summary>{0} operation id, {1} error code, {2} error message, {3} now. Fails the operation unless it succeeded.</summary>
    public string FailOperation { get; }

    /// <summary>{0} now, {1} batch size.</summary>
    public string DeleteExpired { get; }

    public static InboxEntrySql For(DbContext db) =>
        Cache.GetValue(db.Model, _ => new InboxEntrySql(
            TableNames.For<InboxEntry>(db), TableNames.For<InboxOperation>(db), DatabaseProviders.Detect(db)));
}
