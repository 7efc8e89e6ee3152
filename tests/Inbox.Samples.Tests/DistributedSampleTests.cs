using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Inbox.Testing;
using Npgsql;

namespace Inbox.Samples.Tests;

/// <summary>
/// The production shape on this machine: API, worker and downstream simulator as separate processes over a
/// real RabbitMQ and a real PostgreSQL, with the configuration docker-compose.yml gives them.
/// </summary>
public sealed class DistributedSampleTests
{
    [Fact]
    public async Task Two_hundred_submissions_with_retries_succeed_and_each_takes_effect_once()
    {
        await using var database = await PostgresServer.CreateDatabaseAsync();
        await using var rabbit = await RabbitMqServer.CreateVirtualHostAsync();
        var work = Directory.CreateTempSubdirectory("inbox-distributed-").FullName;
        try
        {
            await using var downstream = await AppProcess.StartAsync("Inbox.Samples.Downstream", AppProcess.FreePort(), new Dictionary<string, string>(), work);
            var configuration = SampleStack.Configuration(database.ConnectionString, rabbit.AmqpUri, downstream.BaseAddress);
            await using var api = await AppProcess.StartAsync("Inbox.Samples.Api", AppProcess.FreePort(), configuration, work);
            await using var worker = await AppProcess.StartAsync("Inbox.Samples.Worker", AppProcess.FreePort(), configuration, work);
            using var client = new HttpClient { BaseAddress = api.BaseAddress };
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "sk_test_org_a");

            var submissions = Enumerable.Range(0, 200).Select(SampleStack.Submission).ToArray();
            var operations = new string[submissions.Length];
            var replays = 0;
            await Parallel.ForEachAsync(Enumerable.Range(0, submissions.Length), new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (i, ct) =>
            {
                var (path, body) = submissions[i];
                var key = $"e2e-{i:D4}";
                var first = await SampleStack.PostAsync(client, path, body, key, ct);
                Assert.Equal(HttpStatusCode.Accepted, first.Status);
                operations[i] = first.OperationId;
                if (i % 10 < 3)
                {
                    var retry = await SampleStack.PostAsync(client, path, body, key, ct);
                    Assert.Equal(first.OperationId, retry.OperationId);
                    Assert.True(retry.Replayed);
                    Interlocked.Increment(ref replays);
                }
            });

            Assert.Equal(60, replays);
            await Eventually.TrueAsync("200 operations to succeed", async () =>
                await SampleStack.ScalarAsync(database.ConnectionString, "SELECT count(*) FROM inbox_operations WHERE status = 2") == 200,
                TimeSpan.FromSeconds(120));

            var claimOperations = operations.Where((_, i) => i % 3 == 0).ToHashSet();
            var webhookOperations = operations.Where((_, i) => i % 3 == 1).Count();
            var letterOperations = operations.Where((_, i) => i % 3 == 2).Count();
            Assert.Equal(claimOperations.Count, await SampleStack.ScalarAsync(database.ConnectionString, "SELECT count(*) FROM claims"));
            Assert.Equal(0, await SampleStack.ScalarAsync(database.ConnectionString,
                "SELECT count(*) FROM (SELECT operation_id FROM claims GROUP BY operation_id HAVING count(*) > 1) doubled"));

            using var effects = JsonDocument.Parse(await new HttpClient().GetStringAsync(new Uri(downstream.BaseAddress, "effects")));
            var webhooks = effects.RootElement.GetProperty("webhooks");
            var letters = effects.RootElement.GetProperty("letters");
            Assert.Equal(webhookOperations, webhooks.GetProperty("distinct_keys").GetInt32());
            Assert.Equal(webhookOperations, webhooks.GetProperty("calls").GetInt32());
            Assert.Equal(letterOperations, letters.GetProperty("distinct_keys").GetInt32());
            Assert.Equal(letterOperations, letters.GetProperty("calls").GetInt32());

            foreach (var (index, field) in new[] { (0, "claim_id"), (1, "webhook_id"), (2, "letter_id") })
            {
                using var status = JsonDocument.Parse(await client.GetStringAsync($"/v1/operations/{operations[index]}"));
                Assert.Equal("succeeded", status.RootElement.GetProperty("data").GetProperty("status").GetString());
                Assert.True(status.RootElement.GetProperty("data").GetProperty("result").TryGetProperty(field, out _), field);
            }
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }
}

/// <summary>The sample stack's configuration and traffic, shared with the chaos run.</summary>
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
