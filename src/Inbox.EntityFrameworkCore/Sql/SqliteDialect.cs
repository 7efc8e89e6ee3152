namespace Inbox.EntityFrameworkCore.Sql;

/// <summary>
/// SQLite: <c>ON CONFLICT</c> upserts as on PostgreSQL, and no row locks (a writer locks the whole database), so
/// background batches take their rows by <c>LIMIT</c> alone. Each statement of a command commits on its own, and a
/// wait for the database lock ends only at the command timeout.
/// </summary>
internal sealed class SqliteDialect : ISqlDialect
{
    public static readonly SqliteDialect Instance = new();

    private SqliteDialect()
    {
    }

    public DatabaseProvider Provider => DatabaseProvider.Sqlite;

    public bool BindsColumnTypes => false;

    public bool ClaimReadsBack => false;

    public bool CommandIsAtomic => false;

    public bool WaitsUntilCommandTimeout => true;

    public bool BatchesConsumerInserts => false;

    public string Statement(string sql) => sql;

    // The same upsert as PostgreSQL's.
    public string InsertOrClaim(
        string table, RowKey key, string insertColumns, string values, string set, string claimable, string returning, string readBack) =>
        PostgreSqlDialect.Instance.InsertOrClaim(table, key, insertColumns, values, set, claimable, returning, readBack);

    public string? WhenClaimed(string claim, string then) => null;

    public string InsertOrSelect(
        string table, RowKey key, string insertColumns, string values, string id, IReadOnlyList<Type> otherColumns, string selectExisting) =>
        $"INSERT INTO {table} ({insertColumns}) VALUES ({values}) " +
        $"ON CONFLICT ({key.Columns}) DO NOTHING;\n{selectExisting};";

    public string UpdateBatch(string table, string id, string set, string due, string orderBy, IReadOnlyList<string> returning) =>
        $"UPDATE {table} SET {set} WHERE {id} IN (SELECT {id} FROM {table} WHERE {due} " +
        $"ORDER BY {orderBy} LIMIT @batchSize) RETURNING {string.Join(", ", returning)}";

    public string UpdateReturning(string table, string set, string where, IReadOnlyList<string> returning) =>
        $"UPDATE {table} SET {set} WHERE {where} RETURNING {string.Join(", ", returning)}";

    // A key of several columns is matched by rowid.
    public string DeleteBatch(string table, IReadOnlyList<string> keyColumns, string expired)
    {
        var key = keyColumns.Count == 1 ? keyColumns[0] : "rowid";
        return $"DELETE FROM {table} WHERE {key} IN (SELECT {key} FROM {table} WHERE {expired} LIMIT @batchSize)";
    }

    public string SelectFirst(string table, string column, string where, string orderBy) =>
        PostgreSqlDialect.Instance.SelectFirst(table, column, where, orderBy);
}
