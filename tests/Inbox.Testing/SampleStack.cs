using System.Net;
using System.Text;
using System.Text.Json;
using Npgsql;

namespace Inbox.Testing;

/// <summary>The sample stack's configuration and traffic, shared by the sample tests and the chaos run.</summary>
public static class SampleStack
{
    public static Dictionary<string, string> Configuration(string postgres, Uri rabbit, Uri downstream) => new()
    {
        ["Database__Provider"] = "PostgreSql",
        ["ConnectionStrings__Inbox"] = postgres,
        ["Messaging__Transport"] = "RabbitMq",
        ["ConnectionStrings__RabbitMq"] = rabbit.ToString(),
        ["Downstream__BaseUrl"] = downstream.ToString(),
    };

    public static (string Path, string Body) Submission(int i) => (i % 3) switch
    {
        0 => ("/v1/claims", $$"""{"patient_id": "pat_{{i}}", "payer_id": "payer_acme", "amount_cents": {{1000 + i}}, "service_codes": ["99213"]}"""),
        1 => ("/v1/webhook-events", $$$"""{"subscription_id": "sub_1", "event_type": "claim.updated", "payload": {"claim_id": "clm_{{{i}}}"}}"""),
        _ => ("/v1/letters", $$$"""{"recipient": {"name": "Patient {{{i}}}", "address_lines": ["{{{i}}} High Street"], "postcode": "AB1 2CD"}, "template": "appointment_reminder", "merge_fields": {"date": "2026-12-01"}}"""),
    };

    public static async Task<(HttpStatusCode Status, string OperationId, bool Replayed)> PostAsync(
        HttpClient client, string path, string body, string key, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.Add("Idempotency-Key", key);
        using var response = await client.SendAsync(request, cancellationToken);
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        using var json = JsonDocument.Parse(text);
        var id = json.RootElement.TryGetProperty("data", out var data) && data.ValueKind == JsonValueKind.Object
            ? data.GetProperty("id").GetString()!
            : "";
        return (response.StatusCode, id, response.Headers.Contains("Idempotent-Replayed"));
    }

    public static async Task<long> ScalarAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return Convert.ToInt64(await command.ExecuteScalarAsync());
    }
}
