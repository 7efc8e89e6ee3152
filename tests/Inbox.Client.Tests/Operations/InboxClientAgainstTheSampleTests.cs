using System.Net;
using Inbox.Client.Tests.Support;
using Inbox.Testing;

namespace Inbox.Client.Tests.Operations;

/// <summary>Submit and wait against the sample API, run as a real process.</summary>
[Collection(SampleApiCollection.Name)]
public sealed class InboxClientAgainstTheSampleTests(SampleApiFixture api)
{
    [Fact]
    public async Task Submit_returns_the_operation_from_the_acceptance()
    {
        using var clients = new TestClients(api.BaseAddress);
        var key = Guid.NewGuid().ToString();

        var operation = await clients.Client.SubmitAsync<ClaimResult>(WaitUntil.Started, "/v1/claims", ClaimBody.For(5_100), key);

        Assert.StartsWith("op_", operation.Id);
        Assert.Equal(new Uri(api.BaseAddress, $"/v1/operations/{operation.Id}"), operation.StatusUrl);
        Assert.Equal(key, operation.IdempotencyKey);
        Assert.False(operation.WasReplayed);
        Assert.False(operation.HasCompleted);
        Assert.Throws<InvalidOperationException>(() => operation.Value);
    }

    [Fact]
    public async Task WaitForCompletionAsync_returns_the_claims_result()
    {
        using var clients = new TestClients(api.BaseAddress);
        var operation = await clients.Client.SubmitAsync<ClaimResult>(WaitUntil.Started, "/v1/claims", ClaimBody.For(5_200));

        var result = await operation.WaitForCompletionAsync();

        Assert.Matches("^clm_[0-9a-z]{26}$", result.ClaimId);
        Assert.Equal("submitted", result.Status);
        Assert.Equal(InboxOperationStatus.Succeeded, operation.Status);
        Assert.True(operation.HasValue);
        Assert.Equal(result, operation.Value);
    }

    [Fact]
    public async Task WaitUntil_Completed_submits_and_waits_in_one_call()
    {
        using var clients = new TestClients(api.BaseAddress);

        var operation = await clients.Client.SubmitAsync<ClaimResult>(WaitUntil.Completed, "/v1/claims", ClaimBody.For(5_300));

        Assert.True(operation.HasCompleted);
        Assert.StartsWith("clm_", operation.Value.ClaimId);
    }

    [Fact]
    public async Task A_failed_operation_throws_its_error_code_and_message()
    {
        using var clients = new TestClients(api.BaseAddress);
        var operation = await clients.Client.SubmitAsync<WebhookResult>(WaitUntil.Started, "/v1/webhook-events", WebhookBody.To("sub_gone"));

        var failure = await Assert.ThrowsAsync<InboxOperationFailedException>(() => operation.WaitForCompletionAsync());

        Assert.Equal("subscriber_rejected", failure.ErrorCode);
        Assert.Equal("The subscriber answered 404.", failure.Message);
        Assert.Equal(operation.Id, failure.OperationId);
        Assert.Equal(InboxOperationStatus.Failed, operation.Status);
        Assert.Same(failure, Assert.Throws<InboxOperationFailedException>(() => operation.Value));
    }

    [Fact]
    public async Task An_operation_rehydrated_from_its_status_url_by_a_new_HttpClient_reaches_the_same_result()
    {
        Uri statusUrl;
        string id;
        using (var first = new TestClients(api.BaseAddress))
        {
            var submitted = await first.Client.SubmitAsync<ClaimResult>(WaitUntil.Started, "/v1/claims", ClaimBody.For(5_400));
            (statusUrl, id) = (submitted.StatusUrl, submitted.Id);
        }

        using var second = new TestClients(api.BaseAddress);
        var rehydrated = new InboxOperation<ClaimResult>(second.Client, new Uri(statusUrl.PathAndQuery, UriKind.Relative));
        var result = await rehydrated.WaitForCompletionAsync();

        Assert.Equal(id, rehydrated.Id);
        Assert.Equal(statusUrl, rehydrated.StatusUrl);
        Assert.StartsWith("clm_", result.ClaimId);
    }

    [Fact]
    public async Task An_unknown_operation_throws_not_found()
    {
        using var clients = new TestClients(api.BaseAddress);
        var operation = new InboxOperation<ClaimResult>(clients.Client, new Uri("/v1/operations/op_00000000000000000000000000", UriKind.Relative));

        var error = await Assert.ThrowsAsync<InboxRequestFailedException>(() => operation.UpdateStatusAsync());

        Assert.Equal(HttpStatusCode.NotFound, error.StatusCode);
        Assert.Equal(IdempotencyErrorCodes.OperationNotFound, error.ErrorCode);
    }

    [Fact]
    public async Task Cancellation_stops_the_wait()
    {
        using var clients = new TestClients(api.BaseAddress);
        var operation = await clients.Client.SubmitAsync<WebhookResult>(WaitUntil.Started, "/v1/webhook-events", WebhookBody.To("sub_1"));
        using var cancellation = new CancellationTokenSource();
        await cancellation.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => operation.WaitForCompletionAsync(cancellation.Token));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            clients.Client.SubmitAsync<ClaimResult>(WaitUntil.Completed, "/v1/claims", ClaimBody.For(5_500), cancellationToken: cancellation.Token));
    }

    [Fact]
    public async Task Cancellation_in_the_middle_of_a_wait_stops_it_while_the_operation_is_still_running()
    {
        using var clients = new TestClients(api.BaseAddress);
        using var simulator = new HttpClient { BaseAddress = api.BaseAddress };
        // The subscriber takes the call and answers after 20 s: the operation stays processing meanwhile.
        await simulator.PutAsync("/downstream/faults", Json("""{"fail_rate": 0, "stall_rate": 1, "stall_ms": 20000}"""));
        try
        {
            var operation = await clients.Client.SubmitAsync<WebhookResult>(WaitUntil.Started, "/v1/webhook-events", WebhookBody.To("sub_1"));
            using var cancellation = new CancellationTokenSource();
            var waiting = operation.WaitForCompletionAsync(cancellation.Token);
            var observer = new InboxOperation<WebhookResult>(clients.Client, operation.StatusUrl);
            await Eventually.TrueAsync("the subscriber to hold the call", async () => await observer.UpdateStatusAsync() == InboxOperationStatus.Processing);

            await cancellation.CancelAsync();

            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting);
            Assert.False(operation.HasCompleted);
        }
        finally
        {
            await simulator.PutAsync("/downstream/faults", Json("""{"fail_rate": 0, "stall_rate": 0, "stall_ms": 0}"""));
        }
    }

    private static StringContent Json(string body) => new(body, System.Text.Encoding.UTF8, "application/json");
}
