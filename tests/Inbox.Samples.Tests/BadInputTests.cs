using System.Text;
using System.Text.RegularExpressions;
using Inbox.Testing;
using RabbitMQ.Client;
using static Inbox.Testing.RawHttp;

namespace Inbox.Samples.Tests;

/// <summary>
/// Bad input against the real API over real sockets: every case gets its documented status and error code,
/// and afterwards the database holds no row and the broker no message from any rejected request.
/// </summary>
public sealed class BadInputTests
{
    private const string OrgA = "sk_test_org_a";
    private const string OrgB = "sk_test_org_b";
    private static readonly string ValidClaim = """{"patient_id": "pat_123", "payer_id": "payer_acme", "amount_cents": 12500, "service_codes": ["99213"]}""";
    private static readonly string[] Queues = ["claim-submission", "webhook-event", "letter"];

    /// <summary>A request and what it must get: the status and, for the application's own answers, the error code.</summary>
    private sealed record Case(string Name, string Method, string Path, (string, byte[])[] Headers, byte[]? Body, int Status, string? Code);

    private static (string, byte[]) H(string name, string value) => (name, Ascii(value));

    private static (string, byte[]) Auth(string key = OrgA) => H("Authorization", "Bearer " + key);

    private static readonly (string, byte[]) Json = H("Content-Type", "application/json");

    private static Case Claim(string name, (string, byte[])[] extraHeaders, string? body, int status, string? code, string? contentType = "application/json", string apiKey = OrgA)
    {
        var headers = new List<(string, byte[])> { Auth(apiKey) };
        if (contentType is not null)
        {
            headers.Add(H("Content-Type", contentType));
        }

        headers.AddRange(extraHeaders);
        return new Case(name, "POST", "/v1/claims", headers.ToArray(), body is null ? null : Encoding.UTF8.GetBytes(body), status, code);
    }

    private static Case KeyCase(string name, byte[] key, int status = 400, string? code = "invalid_idempotency_key") =>
        Claim(name, [("Idempotency-Key", key)], ValidClaim, status, code);

    private static IEnumerable<Case> Cases()
    {
        const string Invalid = "invalid_idempotency_key";
        // Keys: the application's 400, or Kestrel's own 400 (no envelope) for bytes HTTP does not allow in a header.
        yield return KeyCase("empty key", []);
        yield return KeyCase("256 characters", Ascii(new string('k', 256)));
        yield return KeyCase("4096 characters", Ascii(new string('k', 4096)));
        yield return KeyCase("space inside", Ascii("abc def"));
        yield return KeyCase("tab inside", Ascii("abc\tdef"));
        yield return KeyCase("only a tab", Ascii("\t"));
        yield return KeyCase("control character 0x01", [0x61, 0x01, 0x62]);
        yield return KeyCase("control character 0x1f", [0x61, 0x1f, 0x62]);
        yield return KeyCase("NUL byte", [0x61, 0x00, 0x62], 400, null);
        yield return KeyCase("DEL 0x7f", [0x61, 0x7f, 0x62]);
        yield return KeyCase("non-ASCII UTF-8", Utf8("café-key"));
        yield return KeyCase("non-ASCII Latin-1 byte", [0x63, 0x61, 0x66, 0xe9], 400, null);
        yield return KeyCase("emoji", Utf8("key-🔑"));
        yield return KeyCase("bare CR injection", Ascii("abc\rX-Injected: 1"), 400, null);

        // Kestrel reads a bare LF as the end of the header line: this is the key "lf-key" plus another header,
        // accepted like any valid request (and counted as such below).
        yield return KeyCase("bare LF injection", Ascii("lf-key\nX-Injected: 1"), 202, null);
        yield return KeyCase("quoted, unterminated", Ascii("\"abc"));
        yield return KeyCase("quoted, empty", Ascii("\"\""));
        yield return KeyCase("quoted, bad escape", Ascii("\"a\\nb\""));
        yield return KeyCase("quoted, bare quote inside", Ascii("\"a\"b\""));
        yield return KeyCase("quoted, trailing backslash", Ascii("\"ab\\\""));
        yield return KeyCase("quoted, space inside", Ascii("\"a b\""));
        yield return KeyCase("quoted, 256 characters", Ascii("\"" + new string('q', 256) + "\""));
        yield return KeyCase("only quotes", Ascii("\"\"\"\""));
        yield return Claim("header repeated", [H("Idempotency-Key", "k-1"), H("Idempotency-Key", "k-2")], ValidClaim, 400, Invalid);
        yield return Claim("header repeated with one value", [H("Idempotency-Key", "k-1"), H("Idempotency-Key", "k-1")], ValidClaim, 400, Invalid);
        yield return Claim("alias repeated", [H("X-Idempotency-Key", "k-1"), H("X-Idempotency-Key", "k-2")], ValidClaim, 400, Invalid);
        yield return Claim("both headers disagree", [H("Idempotency-Key", "k-1"), H("X-Idempotency-Key", "k-2")], ValidClaim, 400, Invalid);
        yield return Claim("alias invalid", [H("X-Idempotency-Key", "has space")], ValidClaim, 400, Invalid);
        yield return Claim("alias empty", [H("X-Idempotency-Key", "")], ValidClaim, 400, Invalid);
        yield return Claim("valid key, alias invalid", [H("Idempotency-Key", "k-1"), H("X-Idempotency-Key", "bad key")], ValidClaim, 400, Invalid);

        // Order of checks: authentication first, then the key, then the body.
        yield return Claim("no API key and a bad key", [H("Idempotency-Key", "bad key")], ValidClaim, 401, "unauthorized", apiKey: "");
        yield return Claim("bad key and a bad body", [H("Idempotency-Key", "bad key")], "{", 400, Invalid);

        // Bodies.
        foreach (var (name, body) in new[]
        {
            ("malformed JSON", "{"), ("truncated JSON", """{"patient_id": "pat_1", "payer_id": "pay"""), ("array body", "[]"), ("null body", "null"),
            ("string body", "\"claim\""), ("number body", "42"), ("empty body", ""), ("whitespace body", "   "), ("trailing garbage", ValidClaim + "x"),
            ("two documents", ValidClaim + ValidClaim), ("comment", "// claim\n" + ValidClaim), ("single quotes", "{'patient_id': 'p'}"),
            ("amount as text", """{"patient_id": "p", "payer_id": "q", "amount_cents": "12500", "service_codes": ["99213"]}"""),
            ("amount fractional", """{"patient_id": "p", "payer_id": "q", "amount_cents": 125.5, "service_codes": ["99213"]}"""),
            ("amount overflow", """{"patient_id": "p", "payer_id": "q", "amount_cents": 1e40, "service_codes": ["99213"]}"""),
            ("amount negative", """{"patient_id": "p", "payer_id": "q", "amount_cents": -5, "service_codes": ["99213"]}"""),
            ("amount zero", """{"patient_id": "p", "payer_id": "q", "amount_cents": 0, "service_codes": ["99213"]}"""),
            ("amount too large", """{"patient_id": "p", "payer_id": "q", "amount_cents": 100000001, "service_codes": ["99213"]}"""),
            ("patient missing", """{"payer_id": "q", "amount_cents": 5, "service_codes": ["99213"]}"""),
            ("patient empty", """{"patient_id": "", "payer_id": "q", "amount_cents": 5, "service_codes": ["99213"]}"""),
            ("patient blank", """{"patient_id": "   ", "payer_id": "q", "amount_cents": 5, "service_codes": ["99213"]}"""),
            ("patient too long", $$"""{"patient_id": "{{new string('p', 101)}}", "payer_id": "q", "amount_cents": 5, "service_codes": ["99213"]}"""),
            ("patient with a control character", """{"patient_id": "p\u0001", "payer_id": "q", "amount_cents": 5, "service_codes": ["99213"]}"""),
            ("patient as object", """{"patient_id": {"id": 1}, "payer_id": "q", "amount_cents": 5, "service_codes": ["99213"]}"""),
            ("payer missing", """{"patient_id": "p", "amount_cents": 5, "service_codes": ["99213"]}"""),
            ("codes missing", """{"patient_id": "p", "payer_id": "q", "amount_cents": 5}"""),
            ("codes empty", """{"patient_id": "p", "payer_id": "q", "amount_cents": 5, "service_codes": []}"""),
            ("code empty", """{"patient_id": "p", "payer_id": "q", "amount_cents": 5, "service_codes": [""]}"""),
            ("code null", """{"patient_id": "p", "payer_id": "q", "amount_cents": 5, "service_codes": [null]}"""),
            ("code too long", """{"patient_id": "p", "payer_id": "q", "amount_cents": 5, "service_codes": ["99213992139"]}"""),
            ("too many codes", $$"""{"patient_id": "p", "payer_id": "q", "amount_cents": 5, "service_codes": [{{string.Join(",", Enumerable.Repeat("\"1\"", 51))}}]}"""),
            ("codes as string", """{"patient_id": "p", "payer_id": "q", "amount_cents": 5, "service_codes": "99213"}"""),
            ("deeply nested", """{"patient_id": "p", "payer_id": "q", "amount_cents": 5, "service_codes": ["1"], "x": """ + new string('[', 500) + new string(']', 500) + "}"),
            ("unpaired surrogate escape", """{"patient_id": "\ud800", "payer_id": "q", "amount_cents": 5, "service_codes": ["1"]}"""),
        })
        {
            yield return Claim("body: " + name, [H("Idempotency-Key", "body-" + name.Replace(' ', '-'))], body, 400, "invalid_request");
        }

        yield return new Case("body: invalid UTF-8", "POST", "/v1/claims", [Auth(), Json, H("Idempotency-Key", "utf8")],
            [0x7b, 0x22, 0x70, 0xff, 0xfe, 0x22, 0x3a, 0x31, 0x7d], 400, "invalid_request");
        yield return Claim("body: larger than 64 KiB", [H("Idempotency-Key", "huge")],
            $$"""{"patient_id": "{{new string('p', 70_000)}}"}""", 413, "request_body_too_large");
        yield return Claim("body: a megabyte", [H("Idempotency-Key", "huge-2")], new string(' ', 1_048_576), 413, "request_body_too_large");

        foreach (var (name, type) in new[]
        {
            ("text/plain", "text/plain"), ("application/xml", "application/xml"), ("form", "application/x-www-form-urlencoded"),
            ("multipart", "multipart/form-data; boundary=x"), ("json-ish text", "text/json"), ("garbage content type", "not a type"),
        })
        {
            yield return Claim("content type: " + name, [H("Idempotency-Key", "ct-" + name.Replace(' ', '-'))], ValidClaim, 415, "unsupported_media_type", type);
        }

        yield return Claim("content type missing", [H("Idempotency-Key", "ct-missing")], ValidClaim, 415, "unsupported_media_type", contentType: null);

        // Webhook events and letters.
        foreach (var (name, body) in new[]
        {
            ("unknown subscription", """{"subscription_id": "sub_404", "event_type": "x", "payload": {}}"""),
            ("payload missing", """{"subscription_id": "sub_1", "event_type": "x"}"""),
            ("payload an array", """{"subscription_id": "sub_1", "event_type": "x", "payload": []}"""),
            ("payload a string", """{"subscription_id": "sub_1", "event_type": "x", "payload": "{}"}"""),
            ("event type missing", """{"subscription_id": "sub_1", "payload": {}}"""),
            ("subscription missing", """{"event_type": "x", "payload": {}}"""),
            ("payload nested too deep", """{"subscription_id": "sub_1", "event_type": "x", "payload": """ + new string('[', 200) + new string(']', 200) + "}"),
        })
        {
            yield return new Case("webhook: " + name, "POST", "/v1/webhook-events", [Auth(), Json, H("Idempotency-Key", "wh-" + name.Replace(' ', '-'))],
                Encoding.UTF8.GetBytes(body), 400, "invalid_request");
        }

        foreach (var (name, body) in new[]
        {
            ("recipient missing", """{"template": "t", "merge_fields": {}}"""),
            ("recipient name missing", """{"recipient": {"address_lines": ["1 High St"], "postcode": "AB1"}, "template": "t"}"""),
            ("no address lines", """{"recipient": {"name": "S", "address_lines": [], "postcode": "AB1"}, "template": "t"}"""),
            ("seven address lines", """{"recipient": {"name": "S", "address_lines": ["1","2","3","4","5","6","7"], "postcode": "AB1"}, "template": "t"}"""),
            ("postcode too long", """{"recipient": {"name": "S", "address_lines": ["1"], "postcode": "ABCDEFGHIJKLMNOPQ"}, "template": "t"}"""),
            ("template missing", """{"recipient": {"name": "S", "address_lines": ["1"], "postcode": "AB1"}}"""),
            ("too many merge fields", """{"recipient": {"name": "S", "address_lines": ["1"], "postcode": "AB1"}, "template": "t", "merge_fields": {""" +
                string.Join(",", Enumerable.Range(0, 51).Select(i => $"\"f{i}\": \"v\"")) + "}}"),
            ("merge fields an array", """{"recipient": {"name": "S", "address_lines": ["1"], "postcode": "AB1"}, "template": "t", "merge_fields": []}"""),
        })
        {
            yield return new Case("letter: " + name, "POST", "/v1/letters", [Auth(), Json, H("Idempotency-Key", "lt-" + name.Replace(' ', '-'))],
                Encoding.UTF8.GetBytes(body), 400, "invalid_request");
        }

        // Authentication.
        yield return Claim("no Authorization header", [H("Idempotency-Key", "auth-1")], ValidClaim, 401, "unauthorized", apiKey: "");
        yield return Claim("unknown API key", [H("Idempotency-Key", "auth-2")], ValidClaim, 401, "unauthorized", apiKey: "sk_live_nope");
        yield return Claim("API key with a colon", [H("Idempotency-Key", "auth-3")], ValidClaim, 401, "unauthorized", apiKey: "sk_test_org_a:x");
        yield return new Case("Basic scheme", "POST", "/v1/claims", [H("Authorization", "Basic c2tfdGVzdF9vcmdfYQ=="), Json], Encoding.UTF8.GetBytes(ValidClaim), 401, "unauthorized");
        yield return new Case("Bearer without a key", "POST", "/v1/claims", [H("Authorization", "Bearer "), Json], Encoding.UTF8.GetBytes(ValidClaim), 401, "unauthorized");
        yield return new Case("status without an API key", "GET", "/v1/operations/op_0123456789abcdefghjkmnpqrs", [], null, 401, "unauthorized");

        // The status endpoint: one 404 for everything the caller cannot see.
        foreach (var id in new[]
        {
            "op_0123456789abcdefghjkmnpqrs", "op_zzzzzzzzzzzzzzzzzzzzzzzzzz", "abc", "op_", "op_0123456789ABCDEFGHJKMNPQRS", "op_0123456789abcdefghjkmnpqrsu",
            "op_0123456789abcdefghjkmnpqri", "op_..%2F..%2Fetc", new string('o', 1000), "%20", "op_0123456789abcdefghjkmnpq%0a",
        })
        {
            yield return new Case("status of " + (id.Length > 40 ? "a 1000-character id" : id), "GET", "/v1/operations/" + id, [Auth()], null, 404, "operation_not_found");
        }

        yield return new Case("status of an id with an encoded NUL", "GET", "/v1/operations/op_%00", [Auth()], null, 400, null);
        yield return new Case("GET on a submission route", "GET", "/v1/claims", [Auth()], null, 405, "method_not_allowed");
        yield return new Case("PUT on a submission route", "PUT", "/v1/claims", [Auth(), Json], Encoding.UTF8.GetBytes(ValidClaim), 405, "method_not_allowed");
        yield return new Case("unknown route", "POST", "/v1/claimz", [Auth(), Json], Encoding.UTF8.GetBytes(ValidClaim), 404, "not_found");
    }

    [Fact]
    public async Task Every_bad_input_gets_its_documented_answer_and_nothing_is_stored_or_published()
    {
        await using var database = await PostgresServer.CreateDatabaseAsync();
        await using var rabbit = await RabbitMqServer.CreateVirtualHostAsync();
        var work = Directory.CreateTempSubdirectory("inbox-bad-input-").FullName;
        try
        {
            await using var downstream = await AppProcess.StartAsync("Inbox.Samples.Downstream", AppProcess.FreePort(), new Dictionary<string, string>(), work);
            var configuration = SampleStack.Configuration(database.ConnectionString, rabbit.AmqpUri, downstream.BaseAddress);
            // The 202 waits for the publish, so the broker's count can be read as soon as the answers are in.
            configuration["Api__PublishTiming"] = "BeforeResponse";

            // A worker declares the queues, then leaves: any message a rejected request published would wait there.
            await using (var worker = await AppProcess.StartAsync("Inbox.Samples.Worker", AppProcess.FreePort(), configuration, work))
            {
            }

            await using var api = await AppProcess.StartAsync("Inbox.Samples.Api", AppProcess.FreePort(), configuration, work);
            var cases = Cases().ToList();
            Assert.True(cases.Count >= 100, $"{cases.Count} cases");

            var wrong = new List<string>();
            foreach (var item in cases)
            {
                var response = await SendAsync(api.BaseAddress, item.Method, item.Path, item.Headers, item.Body);
                var code = Regex.Match(response.Body, "\"code\":\"(?<code>[a-z_]+)\"") is { Success: true } match ? match.Groups["code"].Value : null;
                if (response.Status != item.Status || code != item.Code)
                {
                    wrong.Add($"{item.Name}: expected {item.Status} {item.Code ?? "(no envelope)"}, got {response.Status} {code ?? "(no envelope)"} {Truncate(response.Body)}");
                }
            }

            Assert.True(wrong.Count == 0, string.Join(Environment.NewLine, wrong));

            // Only the accepted requests left a row and a message; no rejected one did.
            var accepted = cases.Count(c => c.Status == 202);
            Assert.Equal(accepted, await SampleStack.ScalarAsync(database.ConnectionString, "SELECT count(*) FROM inbox_operations"));
            // Publishing completes before the 202 is written, so every message is already in the broker.
            Assert.Equal((uint)accepted, await ReadyMessagesAsync(rabbit));

            // The checks can fail: one more valid request leaves one more row and one more message.
            var control = await SendAsync(api.BaseAddress, "POST", "/v1/claims", [Auth(), Json, H("Idempotency-Key", "control")], Encoding.UTF8.GetBytes(ValidClaim));
            Assert.Equal(202, control.Status);
            Assert.Equal(accepted + 1, await SampleStack.ScalarAsync(database.ConnectionString, "SELECT count(*) FROM inbox_operations"));
            Assert.Equal((uint)accepted + 1, await ReadyMessagesAsync(rabbit));
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    private static string Truncate(string text) => text.Length <= 200 ? text : text[..200];

    private static async Task<uint> ReadyMessagesAsync(RabbitMqVirtualHost rabbit)
    {
        await using var connection = await new ConnectionFactory { Uri = rabbit.AmqpUri }.CreateConnectionAsync();
        uint total = 0;
        foreach (var queue in Queues)
        {
            await using var channel = await connection.CreateChannelAsync();
            total += (await channel.QueueDeclarePassiveAsync(queue)).MessageCount;
        }

        return total;
    }
}
