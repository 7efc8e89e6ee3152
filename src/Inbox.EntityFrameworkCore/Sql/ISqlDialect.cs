namespace Inbox.EntityFrameworkCore.Sql;

/// <summary>
/// What one provider's SQL needs that the others' does not: how a claim or an acceptance avoids a race on the key,
/// how background work takes a batch of rows that another instance is not taking, and what a command guarantees.
/// The statements common to all providers are written once, in the classes that build each table's statements.
/// </summary>
internal interface ISqlDialect
{
    DatabaseProvider Provider { get; }

    /// <summary>
    /// Whether each string parameter is bound with the type mapping of the column it goes to (SQL Server, where an
    /// NVARCHAR parameter against a VARCHAR column converts the column, and a seek becomes a scan).
    /// </summary>
    bool BindsColumnTypes { get; }

    /// <summary>
    /// Whether the claim statements read the entry back themselves; otherwise they return a row only when they
    /// claimed it, and the entry that was not claimable is read with a second statement.
    /// </summary>
    bool ClaimReadsBack { get; }

    /// <summary>
    /// Whether one command of several statements commits or fails as a whole outside a transaction; elsewhere each
    /// statement commits on its own, so a transition that changes the entry and the operation needs a transaction.
    /// </summary>
    bool CommandIsAtomic { get; }

    /// <summary>
    /// Whether a wait for a lock ends only at the command timeout (Microsoft.Data.Sqlite retries a locked database
    /// until then and ignores cancellation meanwhile), so a wait limit has to be set as the command timeout.
    /// </summary>
    bool WaitsUntilCommandTimeout { get; }

    /// <summary>
    /// Whether the one-batch save may send the claim, the consumer's inserts and the operation's completion as one
    /// batch of positional statements (<c>$1</c>, ...) that commits as a whole.
    /// </summary>
    bool BatchesConsumerInserts { get; }

    /// <summary><paramref name="sql"/> as sent to the provider, independent of the session's options.</summary>
    string Statement(string sql);

    /// <summary>
    /// Inserts the row of <paramref name="key"/>, or updates it when <paramref name="claimable"/> holds for the row
    /// (aliased <c>t</c>), in one statement safe against a concurrent claim of the same key. Returns
    /// <paramref name="returning"/> of the row when this statement claimed it; where <see cref="ClaimReadsBack"/>,
    /// <paramref name="readBack"/>'s row whatever happened.
    /// </summary>
    string InsertOrClaim(
        string table, RowKey key, string insertColumns, string values, string set, string claimable, string returning, string readBack);

    /// <summary>
    /// <paramref name="claim"/> followed, only when it returned a row, by <paramref name="then"/>, in one statement;
    /// <see langword="null"/> where the provider needs two.
    /// </summary>
    string? WhenClaimed(string claim, string then);

    /// <summary>
    /// Inserts a row unless <paramref name="key"/> exists, and reads back the live row in the same round trip: the
    /// inserted row's <paramref name="id"/> followed by placeholders for <paramref name="otherColumns"/> (which the
    /// caller does not read for its own row), else <paramref name="selectExisting"/>'s row.
    /// </summary>
    string InsertOrSelect(
        string table, RowKey key, string insertColumns, string values, string id, IReadOnlyList<Type> otherColumns, string selectExisting);

    /// <summary>
    /// Updates up to <c>@batchSize</c> rows where <paramref name="due"/> holds, earliest <paramref name="orderBy"/>
    /// first, skipping rows another transaction holds where the provider can, and returns <paramref name="returning"/>
    /// of each row as updated.
    /// </summary>
    string UpdateBatch(string table, string id, string set, string due, string orderBy, IReadOnlyList<string> returning);

    /// <summary>Deletes up to <c>@batchSize</c> rows where <paramref name="expired"/> holds, skipping rows another transaction holds where the provider can.</summary>
    string DeleteBatch(string table, IReadOnlyList<string> keyColumns, string expired);

    /// <summary>A query for <paramref name="column"/> of the first row where <paramref name="where"/> holds, by <paramref name="orderBy"/>.</summary>
    string SelectFirst(string table, string column, string where, string orderBy);

    /// <summary>
    /// Updates the rows where <paramref name="where"/> holds, waiting for rows another transaction holds (so the
    /// condition is judged on their committed state), and returns <paramref name="returning"/> of each row as updated.
    /// </summary>
    string UpdateReturning(string table, string set, string where, IReadOnlyList<string> returning);
}
