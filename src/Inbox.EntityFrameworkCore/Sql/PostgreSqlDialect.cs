namespace Inbox.EntityFrameworkCore.Sql;

/// <summary>
/// PostgreSQL: <c>ON CONFLICT</c> upserts, data-modifying CTEs (each runs once, so one statement can claim and start
/// an operation), and <c>FOR UPDATE SKIP LOCKED</c> for background batches. A command of several statements runs
/// as one implicit transaction.
/// </summary>
internal sealed class PostgreSqlDialect : ISqlDialect
{
    public static readonly PostgreSqlDialect Instance = new();

    private PostgreSqlDialect()
    {
    }

    public DatabaseProvider Provider => DatabaseProvider.PostgreSql;

    public bool BindsColumnTypes => false;

    public bool ClaimReadsBack => false;

    public bool CommandIsAtomic => true;

    public bool WaitsUntilCommandTimeout => false;

    public bool BatchesConsumerInserts => true;

    public string Statement(string sql) => sql;

    // One statement: it returns the row only when this delivery claimed it (inserted or took it over).
    public string InsertOrClaim(
        string table, RowKey key, string insertColumns, string values, string set, string claimable, string returning, string readBack) =>
        $"INSERT INTO {table} AS t ({insertColumns}) VALUES ({values}) " +
        $"ON CONFLICT ({key.Columns}) DO UPDATE SET {set} WHERE {claimable} RETURNING {returning}";

    public string WhenClaimed(string claim, string then) =>
        $"WITH claimed AS ({claim}), started AS ({then} AND EXISTS (SELECT 1 FROM claimed)) SELECT * FROM claimed";

    // The insert's own row when it inserted, else the live row it conflicted with. A row committed by a concurrent
    // insert after the statement began is in neither: then no row comes back and the store reads again.
    public string InsertOrSelect(
        string table, RowKey key, string insertColumns, string values, string id, IReadOnlyList<Type> otherColumns, string selectExisting) =>
        $"WITH inserted AS (INSERT INTO {table} ({insertColumns}) VALUES ({values}) " +
        $"ON CONFLICT ({key.Columns}) DO NOTHING RETURNING {id}) " +
        $"SELECT {id}, {string.Join(", ", otherColumns.Select(Placeholder))} FROM inserted UNION ALL {selectExisting}";

    public string UpdateBatch(string table, string id, string set, string due, string orderBy, IReadOnlyList<string> returning) =>
        $"UPDATE {table} SET {set} WHERE {id} IN (SELECT {id} FROM {table} WHERE {due} " +
        $"ORDER BY {orderBy} LIMIT @batchSize FOR UPDATE SKIP LOCKED) RETURNING {string.Join(", ", returning)}";

    public string UpdateReturning(string table, string set, string where, IReadOnlyList<string> returning) =>
        $"UPDATE {table} SET {set} WHERE {where} RETURNING {string.Join(", ", returning)}";

    public string DeleteBatch(string table, IReadOnlyList<string> keyColumns, string expired)
    {
        var columns = string.Join(", ", keyColumns);
        var key = keyColumns.Count == 1 ? columns : $"({columns})";
        return $"DELETE FROM {table} WHERE {key} IN (SELECT {columns} FROM {table} WHERE {expired} LIMIT @batchSize FOR UPDATE SKIP LOCKED)";
    }

    public string SelectFirst(string table, string column, string where, string orderBy) =>
        $"SELECT {column} FROM {table} WHERE {where} ORDER BY {orderBy} LIMIT 1";

    // UNION ALL needs the types of the existing row's columns; the caller reads none of them for its own row.
    private static string Placeholder(Type column) => column switch
    {
        _ when column == typeof(int) => "0",
        _ when column == typeof(byte[]) => "NULL::bytea",
        _ when column == typeof(string) => "NULL::text",
        _ when column == typeof(DateTimeOffset) || column == typeof(DateTimeOffset?) => "NULL::timestamptz",
        _ => throw new NotSupportedException($"No placeholder for a {column.Name} column."),
    };
}
