namespace Inbox.EntityFrameworkCore.Sql;

/// <summary>
/// SQL Server: no upsert that is safe under concurrency, so a claim or an acceptance updates or inserts under a
/// key-range lock (<c>UPDLOCK, HOLDLOCK</c>); background batches take <c>TOP</c> rows with <c>READPAST</c>. Each
/// statement of a command commits on its own. Every parameter is typed as its column, and every batch is
/// independent of the session's SET options.
/// </summary>
internal sealed class SqlServerDialect : ISqlDialect
{
    /// <summary>
    /// Under SET NOCOUNT ON, SqlClient reports -1 rows affected, and the stores read those counts; under SET
    /// IMPLICIT_TRANSACTIONS ON, an autocommitted claim or acceptance would open a transaction that nobody commits.
    /// Inbox's commands have parameters, so SqlClient runs them through sp_executesql, which restores the session's
    /// own options when the batch ends (as EF Core's update batches do, with their SET NOCOUNT ON).
    /// </summary>
    public const string SessionOptions = "SET IMPLICIT_TRANSACTIONS OFF;\nSET NOCOUNT OFF;\n";

    public static readonly SqlServerDialect Instance = new();

    private SqlServerDialect()
    {
    }

    public DatabaseProvider Provider => DatabaseProvider.SqlServer;

    public bool BindsColumnTypes => true;

    public bool ClaimReadsBack => true;

    public bool CommandIsAtomic => false;

    public bool WaitsUntilCommandTimeout => false;

    public bool BatchesConsumerInserts => false;

    public string Statement(string sql) => SessionOptions + sql;

    public string InsertOrClaim(
        string table, RowKey key, string insertColumns, string values, string set, string claimable, string returning, string readBack) =>
        $"UPDATE t SET {set} FROM {table} AS t WITH (UPDLOCK, HOLDLOCK) WHERE {key.Condition("t.")} AND ({claimable});\n" +
        $"IF @@ROWCOUNT = 0 INSERT INTO {table} ({insertColumns}) SELECT {values} " +
        $"WHERE NOT EXISTS (SELECT 1 FROM {table} WITH (UPDLOCK, HOLDLOCK) WHERE {key.Condition()});\n{readBack};";

    public string? WhenClaimed(string claim, string then) => null;

    public string InsertOrSelect(
        string table, RowKey key, string insertColumns, string values, string id, IReadOnlyList<Type> otherColumns, string selectExisting) =>
        $"INSERT INTO {table} ({insertColumns}) SELECT {values} " +
        $"WHERE NOT EXISTS (SELECT 1 FROM {table} WITH (UPDLOCK, HOLDLOCK) WHERE {key.Condition()});\n{selectExisting};";

    public string UpdateBatch(string table, string id, string set, string due, string orderBy, IReadOnlyList<string> returning) =>
        $"UPDATE TOP (@batchSize) {table} WITH (UPDLOCK, READPAST, ROWLOCK) SET {set} " +
        $"OUTPUT {string.Join(", ", returning.Select(c => "inserted." + c))} WHERE {due}";

    public string UpdateReturning(string table, string set, string where, IReadOnlyList<string> returning) =>
        $"UPDATE {table} SET {set} OUTPUT {string.Join(", ", returning.Select(c => "inserted." + c))} WHERE {where}";

    public string DeleteBatch(string table, IReadOnlyList<string> keyColumns, string expired) =>
        $"DELETE TOP (@batchSize) FROM {table} WITH (ROWLOCK, READPAST) WHERE {expired}";

    public string SelectFirst(string table, string column, string where, string orderBy) =>
        $"SELECT TOP (1) {column} FROM {table} WHERE {where} ORDER BY {orderBy}";
}
