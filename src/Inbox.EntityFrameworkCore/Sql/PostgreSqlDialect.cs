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

    // The batch as rows from one array per column (one statement text whatever the batch's size, so it is prepared once),
    // inserted in key order so that two batches that share keys lock them in the same order and cannot deadlock.
    public string InsertOrSelectBatch(
        string table, IReadOnlyList<string> keyColumns, string insertColumns, IReadOnlyList<string> existingColumns, string id, IReadOnlyList<Type> otherColumns)
    {
        const string rows =
            "SELECT * FROM unnest(@ids::text[], @tenants::text[], @endpoints::text[], @idempotencyKeys::text[], @fingerprints::bytea[], " +
            "@requestIds::text[], @responseStatuses::int[], @responseHeaders::text[], @responseBodies::bytea[], @messageTypes::text[], " +
            "@messageBodies::bytea[], @nows::timestamptz[], @expiresAts::timestamptz[], @relayAts::timestamptz[]) WITH ORDINALITY " +
            "AS b(id, tenant, endpoint, idempotency_key, fingerprint, request_id, response_status, response_headers, response_body, " +
            "message_type, message_body, now, expires_at, relay_at, ordinal)";
        const string values =
            "b.id, b.tenant, b.endpoint, b.idempotency_key, b.fingerprint, 0, b.request_id, b.response_status, b.response_headers, " +
            "b.response_body, b.message_type, b.message_body, b.now, b.now, b.expires_at, b.relay_at";
        var taken = $"e.{keyColumns[0]} = b.tenant AND e.{keyColumns[1]} = b.endpoint AND e.{keyColumns[2]} = b.idempotency_key";
        var existing = string.Join(", ", existingColumns.Select(column => "e." + column));
        return
            $"WITH batch AS ({rows}), " +
            $"inserted AS (INSERT INTO {table} ({insertColumns}) SELECT {values} FROM batch b ORDER BY b.tenant, b.endpoint, b.idempotency_key " +
            $"ON CONFLICT ({string.Join(", ", keyColumns)}) DO NOTHING RETURNING {id}) " +
            $"SELECT NULL::bigint, {id}, {string.Join(", ", otherColumns.Select(Placeholder))} FROM inserted " +
            $"UNION ALL SELECT b.ordinal, {existing} FROM batch b JOIN {table} e ON {taken}";
    }

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
