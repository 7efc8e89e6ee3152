using System.Globalization;

namespace Inbox.Benchmarks.OperationsConsole;

/// <summary>
/// The rows of the console scenario, generated inside PostgreSQL (<c>INSERT … SELECT</c> over <c>generate_series</c>,
/// with a fixed seed): operations spread over 30 days, 20 tenants of very different sizes, six endpoints, mostly
/// succeeded, some failed, a few stuck accepted or processing, and the newest hour still in flight.
/// </summary>
public static class ConsoleSeed
{
    /// <summary>The largest tenant (about 22% of the rows) and the smallest (about 1.3%).</summary>
    public const string LargeTenant = "org_00";

    public const string SmallTenant = "org_19";

    /// <summary>The rarest endpoint (5% of the rows).</summary>
    public const string RareEndpoint = "POST /webhooks/{id}/deliveries";

    public const string ConsumerA = "Claims.ClaimSubmittedConsumer";

    public const string ConsumerB = "Claims.AuditConsumer";

    /// <summary>Makes <c>random()</c> repeat the same sequence in this session: the same data on every run.</summary>
    public const string SetSeed = "SELECT setseed(0.17)";

    /// <summary>Inserts operations <paramref name="from"/>+1 .. <paramref name="to"/> of <paramref name="total"/>, oldest first.</summary>
    public static string Operations(int from, int to, int total) => string.Create(CultureInfo.InvariantCulture, $$"""
        INSERT INTO inbox_operations (id, tenant_id, endpoint, idempotency_key, fingerprint, status, request_id, response_status,
            response_headers, response_body, message_type, message_body, result, error_code, error_message,
            created_at, updated_at, expires_at, relay_at, relay_attempts)
        SELECT id, tenant, endpoint, 'key-' || i, sha256(convert_to(id, 'UTF8')), status, request_id, 202,
            '[["Location","/operations/' || id || '"],["Operation-Location","/operations/' || id ||
                '"],["Retry-After","1"],["Content-Type","application/json; charset=utf-8"]]',
            convert_to('{"data":{"id":"' || id || '","status":"accepted","status_url":"/operations/' || id ||
                '"},"meta":{"request_id":"' || request_id || '"},"error":null}', 'UTF8'),
            'Claims.Contracts.ClaimSubmitted, Claims.Contracts',
            convert_to('{"patientId":"pat_' || (i % 50000) || '","amountCents":' || (i % 90000) || '}', 'UTF8'),
            CASE WHEN status = 2 THEN '{"claimId":"clm_' || i || '"}' END,
            CASE WHEN status = 3 THEN (ARRAY['claim_rejected', 'payer_timeout', 'member_not_found'])[1 + i % 3] END,
            CASE WHEN status = 3 THEN 'The clearinghouse refused the claim.' END,
            created,
            CASE WHEN status >= 2 THEN created + interval '1 second' * (1 + 60 * took) ELSE created END,
            created + interval '35 days', created + interval '10 seconds', 0
        FROM (
            SELECT i, 'op_' || substr(md5(i::text || 'console'), 1, 26) AS id, 'req_' || substr(md5(i::text || 'request'), 1, 26) AS request_id,
                'org_' || lpad(floor(20 * power(t, 2))::int::text, 2, '0') AS tenant,
                CASE WHEN e < 0.40 THEN 'POST /claims' WHEN e < 0.60 THEN 'POST /claims/{claimId}/attachments'
                    WHEN e < 0.75 THEN 'POST /eligibility-checks' WHEN e < 0.87 THEN 'POST /patients'
                    WHEN e < 0.95 THEN 'POST /letters' ELSE '{{RareEndpoint}}' END AS endpoint,
                now() - interval '30 days' * (({{total}} - i)::float8 / {{total}}) AS created,
                CASE
                    WHEN i > {{total}} * 0.998 THEN CASE WHEN s < 0.5 THEN 0 WHEN s < 0.7 THEN 1 WHEN s < 0.73 THEN 3 ELSE 2 END
                    ELSE CASE WHEN s < 0.0004 THEN 0 WHEN s < 0.0005 THEN 1 WHEN s < 0.0305 THEN 3 ELSE 2 END
                END AS status,
                took
            -- OFFSET 0 keeps the draws in their own subquery: each row draws each number once.
            FROM (SELECT i, random() AS t, random() AS e, random() AS s, random() AS took
                FROM generate_series({{from + 1}}, {{to}}) AS i OFFSET 0) AS draws
        ) AS seed
        """);

    /// <summary>Inbox entries for about a third of the operations (a sixth get a second consumer), in their operation's state.</summary>
    public const string Entries = $$"""
        INSERT INTO inbox_entries (consumer, message_key, status, operation_id, claim_token, attempt, claim_kind,
            error_code, error_message, created_at, updated_at, expires_at)
        SELECT consumer, 'op:' || o.id, o.status, o.id, substr(md5(o.id), 1, 32), CASE WHEN o.status = 3 THEN 5 ELSE 1 END, 0,
            o.error_code, o.error_message, o.created_at, o.updated_at, o.expires_at
        FROM inbox_operations AS o
        CROSS JOIN LATERAL (VALUES ('{{ConsumerA}}', 0), ('{{ConsumerB}}', 1)) AS c (consumer, rank)
        WHERE abs(hashtext(o.id)) % 6 < CASE WHEN c.rank = 0 THEN 2 ELSE 1 END
        """;
}
