using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Inbox.Testing;

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
