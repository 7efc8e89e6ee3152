using System.Runtime.CompilerServices;
using Inbox.Claims;
using Inbox.EntityFrameworkCore.Model;
using Inbox.Operations;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;

namespace Inbox.EntityFrameworkCore.Sql;

/// <summary>
/// The statements of the consumer inbox for one model and provider, built once from the model: those of the entries
/// table, and the updates of the operation that a consumer's transitions make (succeed, start, fail), which live here
/// because the transitions join them to an entry's statement in one command (<see cref="CompleteLeasedAndSucceedOperation"/>,
/// <see cref="ReleaseFailedAndFailOperation"/>, <see cref="ClaimLeasedStartingOperation"/>) and share its parameters.
/// The HTTP side's statements of the operations table are <see cref="OperationSql"/> and <see cref="OperationClaimSql"/>.
/// </summary>
internal sealed class InboxEntrySql
{
    private static readonly ConditionalWeakTable<IModel, InboxEntrySql> Cache = new();

    private InboxEntrySql(TableNames e, TableNames o, ISqlDialect dialect)
    {
        var entries = e.Table;
        string C(string property) => e[property];
        var rowKey = new RowKey((C(nameof(InboxEntry.Consumer)), "consumer"), (C(nameof(InboxEntry.MessageKey)), "messageKey"));
        var key = rowKey.Condition();

        // Statuses and claim kinds as the enums number them, written into the SQL as constants.
        var accepted = (int)OperationStatus.Accepted;
        var processing = (int)OperationStatus.Processing;
        var succeeded = (int)OperationStatus.Succeeded;
        var failed = (int)OperationStatus.Failed;
        var fresh = (int)ClaimKind.Fresh;
        var redrive = (int)ClaimKind.Redrive;
        var takeover = (int)ClaimKind.Takeover;

        // The columns the string parameters go to, for a dialect that binds them with the columns' types.
        var columns = dialect.BindsColumnTypes
            ? new Dictionary<string, RelationalTypeMapping>(StringComparer.Ordinal)
            {
                ["consumer"] = e.Mapping(nameof(InboxEntry.Consumer)),
                ["messageKey"] = e.Mapping(nameof(InboxEntry.MessageKey)),
                ["claimToken"] = e.Mapping(nameof(InboxEntry.ClaimToken)),
                ["operationId"] = e.Mapping(nameof(InboxEntry.OperationId)),
                ["startsOperationId"] = o.Mapping(nameof(InboxOperation.Id)),
                ["result"] = e.Mapping(nameof(InboxEntry.Result)),
                ["errorCode"] = e.Mapping(nameof(InboxEntry.ErrorCode)),
                ["errorMessage"] = e.Mapping(nameof(InboxEntry.ErrorMessage)),
            }
            : null;
        Statement<EntryTransitionValues> Transition(string sql) => new(dialect.Statement(sql), EntryTransitionValues.Parameters, columns);
        Statement<EntryClaimValues> ClaimStatement(string sql) => new(sql, EntryClaimValues.Parameters, columns);

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
        ReadClaim = Transition(readClaim);

        var insertColumns = string.Join(", ", new[]
        {
            nameof(InboxEntry.Consumer), nameof(InboxEntry.MessageKey), nameof(InboxEntry.Status), nameof(InboxEntry.OperationId),
            nameof(InboxEntry.ClaimToken), nameof(InboxEntry.Attempt), nameof(InboxEntry.ClaimKind), nameof(InboxEntry.LeaseExpiresAt),
            nameof(InboxEntry.CreatedAt), nameof(InboxEntry.UpdatedAt), nameof(InboxEntry.ExpiresAt),
        }.Select(C));

        // A claim (see EntryClaimValues). Claimable: no entry, a failed entry (redrive), or a processing entry whose
        // lease has expired.
        string Claim(int status, string lease)
        {
            var values = $"@consumer, @messageKey, {status}, @operationId, @claimToken, 1, {fresh}, {lease}, @now, @now, @expiresAt";
            var claimable = $"t.{C(nameof(InboxEntry.Status))} = {failed} OR (t.{C(nameof(InboxEntry.Status))} = {processing} AND t.{C(nameof(InboxEntry.LeaseExpiresAt))} <= @takeoverBefore)";
            var set =
                $"{C(nameof(InboxEntry.Status))} = {status}, {C(nameof(InboxEntry.ClaimToken))} = @claimToken, " +
                $"{C(nameof(InboxEntry.Attempt))} = t.{C(nameof(InboxEntry.Attempt))} + 1, " +
                $"{C(nameof(InboxEntry.ClaimKind))} = CASE WHEN t.{C(nameof(InboxEntry.Status))} = {processing} THEN {takeover} ELSE {redrive} END, " +
                $"{C(nameof(InboxEntry.LeaseExpiresAt))} = {lease}, {C(nameof(InboxEntry.OperationId))} = @operationId, " +
                $"{C(nameof(InboxEntry.ErrorCode))} = NULL, {C(nameof(InboxEntry.ErrorMessage))} = NULL, " +
                $"{C(nameof(InboxEntry.UpdatedAt))} = @now, {C(nameof(InboxEntry.ExpiresAt))} = @expiresAt";
            return dialect.Statement(dialect.InsertOrClaim(entries, rowKey, insertColumns, values, set, claimable, claimColumns, readClaim));
        }

        ClaimReadsBack = dialect.ClaimReadsBack;
        CommandIsAtomic = dialect.CommandIsAtomic;

        ClaimTransactional = ClaimStatement(Claim(status: succeeded, lease: "NULL"));
        var claimLeased = Claim(status: processing, lease: "@leaseExpiresAt");
        ClaimLeased = ClaimStatement(claimLeased);

        var setResult = $"UPDATE {entries} SET {C(nameof(InboxEntry.Result))} = @result, {C(nameof(InboxEntry.UpdatedAt))} = @now WHERE {key}";

        var completeLeased =
            $"UPDATE {entries} SET {C(nameof(InboxEntry.Status))} = {succeeded}, {C(nameof(InboxEntry.Result))} = @result, " +
            $"{C(nameof(InboxEntry.LeaseExpiresAt))} = NULL, {C(nameof(InboxEntry.UpdatedAt))} = @now " +
            $"WHERE {key} AND {C(nameof(InboxEntry.ClaimToken))} = @claimToken AND {C(nameof(InboxEntry.Status))} = {processing}";

        ReleaseAttempt = Transition(
            $"UPDATE {entries} SET {C(nameof(InboxEntry.Status))} = {failed}, {C(nameof(InboxEntry.LeaseExpiresAt))} = NULL, {C(nameof(InboxEntry.UpdatedAt))} = @now " +
            $"WHERE {key} AND {C(nameof(InboxEntry.ClaimToken))} = @claimToken AND {C(nameof(InboxEntry.Status))} = {processing}");

        // A failure ends this delivery's own claim only (its claim token), never a lease another delivery took over.
        var releaseFailed =
            $"UPDATE {entries} SET {C(nameof(InboxEntry.Status))} = {failed}, {C(nameof(InboxEntry.LeaseExpiresAt))} = NULL, " +
            $"{C(nameof(InboxEntry.ErrorCode))} = @errorCode, {C(nameof(InboxEntry.ErrorMessage))} = @errorMessage, {C(nameof(InboxEntry.UpdatedAt))} = @now " +
            $"WHERE {key} AND {C(nameof(InboxEntry.ClaimToken))} = @claimToken AND {C(nameof(InboxEntry.Status))} IN ({processing}, {failed})";

        // A succeeded operation never changes again.
        string Succeed(string id, string result, string now) =>
            $"UPDATE {operations} SET {opStatus} = {succeeded}, {o[nameof(InboxOperation.Result)]} = {result}, " +
            $"{o[nameof(InboxOperation.ErrorCode)]} = NULL, {o[nameof(InboxOperation.ErrorMessage)]} = NULL, {o[nameof(InboxOperation.UpdatedAt)]} = {now} " +
            $"WHERE {opId} = {id} AND {opStatus} <> {succeeded}";

        var succeedOperation = Succeed("@operationId", "@result", "@now");

        // The operation is completed only if this delivery still held the lease, which the first statement proves.
        var completeLeasedAndSucceedOperation =
            completeLeased + ";\n" + succeedOperation +
            $" AND EXISTS (SELECT 1 FROM {entries} WHERE {key} AND {C(nameof(InboxEntry.ClaimToken))} = @claimToken AND {C(nameof(InboxEntry.Status))} = {succeeded});";
        var setResultAndSucceedOperation = setResult + ";\n" + succeedOperation + ";";
        SetResult = Transition(setResult);
        CompleteLeased = Transition(completeLeased);
        CompleteLeasedAndSucceedOperation = Transition(completeLeasedAndSucceedOperation);
        SetResultAndSucceedOperation = Transition(setResultAndSucceedOperation);
        SucceedOperation = Transition(succeedOperation);

        // The result of the consumer's succeeded entry.
        var succeededEntry = $"FROM {entries} WHERE {key} AND {C(nameof(InboxEntry.Status))} = {succeeded}";
        SucceedOperationFromEntry = Transition(
            Succeed("@operationId", $"(SELECT {C(nameof(InboxEntry.Result))} {succeededEntry})", "@now") + $" AND {opStatus} IN ({accepted}, {processing}) AND EXISTS (SELECT 1 {succeededEntry})");

        // The one-batch save's own statements, where they join the consumer's inserts in one batch.
        if (dialect.BatchesConsumerInserts)
        {
            InsertSucceededBatched =
                $"INSERT INTO {entries} ({insertColumns}, {C(nameof(InboxEntry.Result))}) " +
                $"VALUES ($1, $2, {succeeded}, $3, $4, 1, {fresh}, NULL, $5, $5, $6, $7)";
            SucceedOperationBatched = Succeed("$1", "$2", "$3");
        }

        string Start(string id, string relayAt) =>
            $"UPDATE {operations} SET {opStatus} = {processing}, {o[nameof(InboxOperation.UpdatedAt)]} = @now, {o[nameof(InboxOperation.RelayAt)]} = {relayAt} " +
            $"WHERE {opId} = {id} AND {opStatus} IN ({accepted}, {failed})";
        StartOperation = Transition(Start("@operationId", "@relayAt"));

        // Where the dialect runs it once, the operation starts in the claim's round trip, and only when the claim
        // returned this delivery's row.
        ClaimLeasedStartingOperation = dialect.WhenClaimed(claimLeased, Start("@startsOperationId", "@relayAt")) is { } starting
            ? ClaimStatement(starting)
            : null;

        // A succeeded operation is never failed.
        var failOperation =
            $"UPDATE {operations} SET {opStatus} = {failed}, {o[nameof(InboxOperation.ErrorCode)]} = @errorCode, " +
            $"{o[nameof(InboxOperation.ErrorMessage)]} = @errorMessage, {o[nameof(InboxOperation.UpdatedAt)]} = @now " +
            $"WHERE {opId} = @operationId AND {opStatus} IN ({accepted}, {processing})";
        // The operation fails only when this delivery's release held...
        var releaseFailedAndFailOperation =
            releaseFailed + ";\n" + failOperation +
            $" AND EXISTS (SELECT 1 FROM {entries} WHERE {key} AND {C(nameof(InboxEntry.ClaimToken))} = @claimToken AND {C(nameof(InboxEntry.Status))} = {failed});";

        // A delivery that held no lease fails the operation only after it has claimed the entry itself, which waits for
        // a copy's uncommitted claim.
        var deleteClaim = $"DELETE FROM {entries} WHERE {key} AND {C(nameof(InboxEntry.ClaimToken))} = @claimToken";
        var failClaim =
            $"UPDATE {entries} SET {C(nameof(InboxEntry.Status))} = {failed}, {C(nameof(InboxEntry.LeaseExpiresAt))} = NULL, " +
            $"{C(nameof(InboxEntry.Attempt))} = {C(nameof(InboxEntry.Attempt))} - 1, " +
            $"{C(nameof(InboxEntry.ErrorCode))} = @errorCode, {C(nameof(InboxEntry.ErrorMessage))} = @errorMessage, {C(nameof(InboxEntry.UpdatedAt))} = @now " +
            $"WHERE {key} AND {C(nameof(InboxEntry.ClaimToken))} = @claimToken";
        DeleteClaim = Transition(deleteClaim);
        FailClaim = Transition(failClaim);
        FailOperation = Transition(failOperation);
        ReleaseFailed = Transition(releaseFailed);
        ReleaseFailedAndFailOperation = Transition(releaseFailedAndFailOperation);

        DeleteExpired = new(
            dialect.Statement(dialect.DeleteBatch(
                entries, [C(nameof(InboxEntry.Consumer)), C(nameof(InboxEntry.MessageKey))], $"{C(nameof(InboxEntry.ExpiresAt))} <= @now")),
            ExpiredRowsValues.Parameters,
            columns: null);
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

    /// <summary>Returns the claim columns, then whether the entry's operation is unfinished.</summary>
    public Statement<EntryTransitionValues> ReadClaim { get; }

    /// <summary>Claims in transactional mode (the entry is written as succeeded; the transaction makes it true).</summary>
    public Statement<EntryClaimValues> ClaimTransactional { get; }

    /// <summary>Claims in leased mode: processing, with a lease.</summary>
    public Statement<EntryClaimValues> ClaimLeased { get; }

    /// <summary>
    /// <see cref="ClaimLeased"/> that also starts the operation <see cref="InboxClaimRequest.StartsOperationId"/> when
    /// it claims, in one statement; <see langword="null"/> where the dialect needs two (then
    /// <see cref="StartOperation"/> follows the claim).
    /// </summary>
    public Statement<EntryClaimValues>? ClaimLeasedStartingOperation { get; }

    /// <summary>Records the result on the entry.</summary>
    public Statement<EntryTransitionValues> SetResult { get; }

    /// <summary>One row when the delivery still held the lease.</summary>
    public Statement<EntryTransitionValues> CompleteLeased { get; }

    /// <summary>Lets the next attempt claim at once after this one threw.</summary>
    public Statement<EntryTransitionValues> ReleaseAttempt { get; }

    /// <summary>Records the error on the entry this delivery's lease held and releases it.</summary>
    public Statement<EntryTransitionValues> ReleaseFailed { get; }

    /// <summary>Completes the operation with the result, unless it already succeeded.</summary>
    public Statement<EntryTransitionValues> SucceedOperation { get; }

    /// <summary>Completes an accepted or processing operation with the result of the consumer's succeeded entry.</summary>
    public Statement<EntryTransitionValues> SucceedOperationFromEntry { get; }

    /// <summary><see cref="CompleteLeased"/> then, if it held, <see cref="SucceedOperation"/>, in one round trip.</summary>
    public Statement<EntryTransitionValues> CompleteLeasedAndSucceedOperation { get; }

    /// <summary><see cref="SetResult"/> and <see cref="SucceedOperation"/> in one round trip.</summary>
    public Statement<EntryTransitionValues> SetResultAndSucceedOperation { get; }

    /// <summary>
    /// A fresh entry written as succeeded, for a batch with the consumer's inserts (positional parameters): $1
    /// consumer, $2 message key, $3 operation id, $4 claim token, $5 now, $6 expires at, $7 result.
    /// <see langword="null"/> where the dialect does not batch them.
    /// </summary>
    public string? InsertSucceededBatched { get; }

    /// <summary>
    /// <see cref="SucceedOperation"/> for that batch (positional parameters): $1 operation id, $2 result, $3 now;
    /// <see langword="null"/> where the dialect does not batch.
    /// </summary>
    public string? SucceedOperationBatched { get; }

    /// <summary>Marks the operation processing, with its relay time.</summary>
    public Statement<EntryTransitionValues> StartOperation { get; }

    /// <summary>
    /// <see cref="ReleaseFailed"/>, then, if it held, the operation fails with the same error unless it succeeded,
    /// in one round trip.
    /// </summary>
    public Statement<EntryTransitionValues> ReleaseFailedAndFailOperation { get; }

    /// <summary>Removes an entry the failure record's own claim inserted.</summary>
    public Statement<EntryTransitionValues> DeleteClaim { get; }

    /// <summary>Marks the entry the failure record claimed failed again, without counting that claim as an attempt.</summary>
    public Statement<EntryTransitionValues> FailClaim { get; }

    /// <summary>Fails the operation unless it succeeded.</summary>
    public Statement<EntryTransitionValues> FailOperation { get; }

    public Statement<ExpiredRowsValues> DeleteExpired { get; }

    public static InboxEntrySql For(DbContext db) =>
        Cache.GetValue(db.Model, _ => new InboxEntrySql(
            TableNames.For<InboxEntry>(db), TableNames.For<InboxOperation>(db), DatabaseProviders.Dialect(db)));
}
