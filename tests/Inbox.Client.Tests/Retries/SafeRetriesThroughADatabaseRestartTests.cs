using System.Net;
using Inbox.Client.Tests.Support;
using Inbox.Testing;

namespace Inbox.Client.Tests.Retries;

/// <summary>
/// The sample API on PostgreSQL (embedded otherwise: in-memory transport, worker in the process) while its database
/// restarts. The database is a private server, so stopping it disturbs no other test on the machine.
/// </summary>
public sealed class SafeRetriesThroughADatabaseRestartTests
{
    [SkippableFact]
    public async Task Answers_503_while_PostgreSQL_restarts_are_retried_to_success_with_the_same_key()
    {
        var unavailable = PrivatePostgres.Unavailable();
        Skip.If(unavailable is not null, unavailable);
        await using var postgres = await PrivatePostgres.StartAsync();
        var work = Directory.CreateTempSubdirectory("inbox-client-pg-").FullName;
        try
        {
            await using var api = await AppProcess.StartAsync("Inbox.Samples.Api", AppProcess.FreePort(), new Dictionary<string, string>
            {
                ["Database__Provider"] = "PostgreSql",
                ["ConnectionStrings__Inbox"] = postgres.ConnectionString("inbox_client_sample"),
            }, work);
            using var clients = new TestClients(api.BaseAddress, retry => retry.MaxRetryAttempts = 60);

            await postgres.StopServerAsync();
            var submission = clients.Client.SubmitAsync<ClaimResult>(WaitUntil.Started, "/v1/claims", ClaimBody.For(6_100));
            await Eventually.TrueAsync("an attempt answered 503 while the database is down", () =>
                Task.FromResult(submission.IsCompleted || clients.Recorder.Attempts.Any(a => a.Status == HttpStatusCode.ServiceUnavailable)));
            await postgres.StartServerAsync();
            var operation = await submission;

            var attempts = clients.Recorder.Attempts.ToArray();
            Assert.Contains(attempts, a => a.Status == HttpStatusCode.ServiceUnavailable);
            Assert.Equal(HttpStatusCode.Accepted, attempts[^1].Status);
            Assert.All(attempts, a => Assert.Equal(operation.IdempotencyKey, a.Key));
            Assert.False(operation.WasReplayed, "no attempt before the restart was accepted");
            Assert.StartsWith("clm_", (await operation.WaitForCompletionAsync()).ClaimId);
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }
}
