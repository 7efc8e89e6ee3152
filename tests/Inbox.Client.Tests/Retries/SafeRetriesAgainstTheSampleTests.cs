using System.Net;
using System.Net.Http.Json;
using Inbox.Client.Tests.Support;
using Inbox.Testing;

namespace Inbox.Client.Tests.Retries;

/// <summary>The key handler and the safe retries against the sample API, run as a real process.</summary>
[Collection(SampleApiCollection.Name)]
public sealed class SafeRetriesAgainstTheSampleTests(SampleApiFixture api)
{
    [Fact]
    public async Task An_answer_lost_after_the_server_processed_the_request_is_retried_with_the_same_key_and_takes_effect_once()
    {
        using var clients = new TestClients(api.BaseAddress);
        clients.Recorder.DropAnswer = attempt => attempt == 1;

        var operation = await clients.Client.SubmitAsync<WebhookResult>(WaitUntil.Completed, "/v1/webhook-events", WebhookBody.To("sub_1"));

        var attempts = clients.Recorder.Attempts.Where(a => a.Method == HttpMethod.Post).ToArray();
        Assert.Equal([null, HttpStatusCode.Accepted], attempts.Select(a => a.Status));
        Assert.Single(attempts.Select(a => a.Key).Distinct());
        Assert.Equal(operation.IdempotencyKey, attempts[0].Key);
        Assert.True(operation.WasReplayed, "the retry got the operation the lost answer had accepted");
        using var http = new HttpClient { BaseAddress = api.BaseAddress };
        var effects = await http.GetFromJsonAsync<Effects>("/downstream/effects", ClientJson.Options);
        Assert.Equal(1, effects!.Webhooks.ByKey[operation.Value.WebhookId]);
    }

    [Fact]
    public async Task A_synchronous_post_whose_answer_is_lost_is_retried_with_the_same_key_and_replayed()
    {
        using var clients = new TestClients(api.BaseAddress);
        clients.Recorder.DropAnswer = attempt => attempt == 1;
        var lastName = "Johnson-" + Guid.NewGuid().ToString("N");

        using var response = await clients.Http.PostAsJsonAsync("/v1/patients", new { first_name = "Sarah", last_name = lastName, date_of_birth = "1985-03-15" });

        var attempts = clients.Recorder.Attempts.Where(a => a.Method == HttpMethod.Post).ToArray();
        Assert.Equal([null, HttpStatusCode.Created], attempts.Select(a => a.Status));
        Assert.Single(attempts.Select(a => a.Key).Distinct());
        Assert.NotNull(attempts[0].Key);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.True(response.IsIdempotentReplay(), "the retry got the response of the request whose answer was lost");

        // The server ran the create once: the patient the replay names is the one it stored.
        using var http = new HttpClient { BaseAddress = api.BaseAddress };
        http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", "sk_test_org_a");
        var read = await http.GetStringAsync(response.Headers.Location);
        Assert.Contains(lastName, read);
    }

    [Fact]
    public async Task Every_attempt_carries_the_key_fixed_before_the_first()
    {
        using var clients = new TestClients(api.BaseAddress);
        clients.Recorder.DropAnswer = attempt => attempt <= 3;

        var operation = await clients.Client.SubmitAsync<ClaimResult>(WaitUntil.Started, "/v1/claims", ClaimBody.For(4_100));

        var keys = clients.Recorder.Attempts.Where(a => a.Method == HttpMethod.Post).Select(a => a.Key).ToArray();
        Assert.Equal(4, keys.Length);
        Assert.All(keys, key => Assert.Equal(operation.IdempotencyKey, key));
        Assert.True(Guid.TryParse(operation.IdempotencyKey, out _), "the generated key is a UUID");
    }

    [Fact]
    public async Task Submits_with_one_key_while_the_first_is_in_flight_get_the_same_operation()
    {
        using var clients = new TestClients(api.BaseAddress);
        var key = Guid.NewGuid().ToString();

        var operations = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ =>
            clients.Client.SubmitAsync<ClaimResult>(WaitUntil.Started, "/v1/claims", ClaimBody.For(4_200), key)));

        Assert.Single(operations.Select(o => o.Id).Distinct());
        Assert.Single(operations, o => !o.WasReplayed);
        Assert.All(operations, o => Assert.Equal(key, o.IdempotencyKey));
    }

    [Fact]
    public async Task A_key_reused_with_another_body_is_not_retried_and_throws_the_mismatch()
    {
        using var clients = new TestClients(api.BaseAddress);
        var key = Guid.NewGuid().ToString();
        await clients.Client.SubmitAsync<ClaimResult>(WaitUntil.Started, "/v1/claims", ClaimBody.For(4_300), key);

        var error = await Assert.ThrowsAsync<InboxRequestFailedException>(() =>
            clients.Client.SubmitAsync<ClaimResult>(WaitUntil.Started, "/v1/claims", ClaimBody.For(4_399), key));

        Assert.Equal(HttpStatusCode.Conflict, error.StatusCode);
        Assert.Equal(IdempotencyErrorCodes.KeyMismatchedBody, error.ErrorCode);
        Assert.StartsWith("req_", error.RequestId);
        Assert.Equal([HttpStatusCode.Accepted, HttpStatusCode.Conflict], clients.Recorder.Attempts.Select(a => a.Status));
    }

    [Fact]
    public async Task A_rejected_body_is_not_retried_and_throws_its_error()
    {
        using var clients = new TestClients(api.BaseAddress);

        var error = await Assert.ThrowsAsync<InboxRequestFailedException>(() =>
            clients.Client.SubmitAsync<ClaimResult>(WaitUntil.Started, "/v1/claims", ClaimBody.For(-1)));

        Assert.Equal(HttpStatusCode.BadRequest, error.StatusCode);
        Assert.Equal("invalid_request", error.ErrorCode);
        Assert.Single(clients.Recorder.Attempts);
    }

    [Fact]
    public async Task A_post_without_a_key_is_not_retried()
    {
        using var clients = new TestClients(api.BaseAddress, keys: false);
        clients.Recorder.DropAnswer = attempt => attempt == 1;
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/claims") { Content = JsonContent.Create(ClaimBody.For(4_400), options: ClientJson.Options) };

        await Assert.ThrowsAsync<HttpRequestException>(() => clients.Http.SendAsync(request));

        var attempt = Assert.Single(clients.Recorder.Attempts);
        Assert.Null(attempt.Key);
    }

    [Fact]
    public async Task A_get_without_a_key_is_retried()
    {
        using var clients = new TestClients(api.BaseAddress, keys: false);
        clients.Recorder.DropAnswer = attempt => attempt == 1;

        using var response = await clients.Http.GetAsync("/health/live");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(2, clients.Recorder.Attempts.Count);
    }
}
