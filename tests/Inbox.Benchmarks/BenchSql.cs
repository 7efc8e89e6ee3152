namespace Inbox.Benchmarks;

/// <summary>PostgreSQL statements that seed many rows at once, for the consume and growth scenarios.</summary>
public static class BenchSql
{
    /// <summary>An operation id of the seeded rows: <c>op_</c>, a one-letter batch and the number.</summary>
    public static string OperationId(string batch, int number) => "op_" + batch + number.ToString("D25", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Inserts operations 1..count of <paramref name="batch"/> (unexpired, or expired an hour ago).</summary>
    public static string SeedOperations(string batch, int count, bool expired, int offset = 0) => $"""
        INSERT INTO inbox_operations (id, tenant_id, endpoint, idempotency_key, fingerprint, status, request_id, response_status,
            response_headers, response_body, message_type, message_body, created_at, updated_at, expires_at, relay_at)
        SELECT 'op_{batch}' || lpad(i::text, 25, '0'), 'seed', 'POST /seed', '{batch}-' || i, decode(md5(i::text) || md5(i::text), 'hex'),
            2, 'req_seed', 202, '[]', '\x7b7d'::bytea, 'Seed', '\x7b7d'::bytea, now(), now(),
            now() + interval '{(expired ? "-1 hour" : "1 day")}', now() + interval '1 day'
        FROM generate_series({offset + 1}, {offset + count}) AS i
        """;

    /// <summary>Inserts inbox entries 1..count of <paramref name="batch"/>.</summary>
    public static string SeedEntries(string batch, int count, int offset = 0) => $"""
        INSERT INTO inbox_entries (consumer, message_key, status, operation_id, claim_token, attempt, claim_kind, created_at, updated_at, expires_at)
        SELECT 'Seed.Consumer', 'op:op_{batch}' || lpad(i::text, 25, '0'), 2, 'op_{batch}' || lpad(i::text, 25, '0'), 'seed', 1, 0, now(), now(),
            now() + interval '1 day'
        FROM generate_series({offset + 1}, {offset + count}) AS i
        """;
}
