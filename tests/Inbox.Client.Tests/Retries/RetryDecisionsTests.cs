using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Inbox.Client.Retries;
using Polly;
using Polly.Timeout;

namespace Inbox.Client.Tests.Retries;

/// <summary>Every retry decision, one per status class, error code and method rule.</summary>
public sealed class RetryDecisionsTests
{
    [Fact]
    public async Task A_transport_error_is_retried() =>
        Assert.Equal(RetryDecision.RetryTransportError, await DecideAsync(Keyed(HttpMethod.Post), new HttpRequestException("reset")));

    [Fact]
    public async Task An_attempt_timeout_is_retried() =>
        Assert.Equal(RetryDecision.RetryAttemptTimeout, await DecideAsync(Keyed(HttpMethod.Post), new TimeoutRejectedException()));

    [Fact]
    public async Task Another_exception_is_not_retried() =>
        Assert.Equal(RetryDecision.NeverOtherException, await DecideAsync(Keyed(HttpMethod.Post), new OperationCanceledException()));

    [Fact]
    public async Task A_408_is_retried() =>
        Assert.Equal(RetryDecision.RetryRequestTimeout, await DecideAsync(Keyed(HttpMethod.Post), HttpStatusCode.RequestTimeout));

    [Fact]
    public async Task A_429_is_retried() =>
        Assert.Equal(RetryDecision.RetryTooManyRequests, await DecideAsync(Keyed(HttpMethod.Post), HttpStatusCode.TooManyRequests));

    [Theory]
    [InlineData(500)]
    [InlineData(502)]
    [InlineData(503)]
    [InlineData(504)]
    [InlineData(599)]
    public async Task A_5xx_is_retried(int status) =>
        Assert.Equal(RetryDecision.RetryServerError, await DecideAsync(Keyed(HttpMethod.Post), (HttpStatusCode)status));

    [Fact]
    public async Task A_409_key_in_use_in_the_envelope_is_retried() =>
        Assert.Equal(RetryDecision.RetryKeyInUse, await DecideAsync(Keyed(HttpMethod.Post), HttpStatusCode.Conflict, Envelope("idempotency_key_in_use")));

    [Fact]
    public async Task A_409_key_in_use_as_problem_details_is_retried() =>
        Assert.Equal(RetryDecision.RetryKeyInUse, await DecideAsync(Keyed(HttpMethod.Post), HttpStatusCode.Conflict, Problem("idempotency_key_in_use")));

    [Fact]
    public async Task A_409_key_mismatch_is_never_retried() =>
        Assert.Equal(RetryDecision.NeverKeyMismatch, await DecideAsync(Keyed(HttpMethod.Post), HttpStatusCode.Conflict, Envelope("idempotency_key_mismatched_body")));

    [Fact]
    public async Task A_409_of_another_code_or_without_a_body_is_never_retried()
    {
        Assert.Equal(RetryDecision.NeverClientError, await DecideAsync(Keyed(HttpMethod.Post), HttpStatusCode.Conflict, Envelope("version_conflict")));
        Assert.Equal(RetryDecision.NeverClientError, await DecideAsync(Keyed(HttpMethod.Post), HttpStatusCode.Conflict, "not json"));
        Assert.Equal(RetryDecision.NeverClientError, await DecideAsync(Keyed(HttpMethod.Post), HttpStatusCode.Conflict));
    }

    [Fact]
    public async Task A_422_is_never_retried() =>
        Assert.Equal(RetryDecision.NeverUnprocessable, await DecideAsync(Keyed(HttpMethod.Post), HttpStatusCode.UnprocessableEntity, Envelope("idempotency_key_mismatched_body")));

    [Theory]
    [InlineData(400)]
    [InlineData(401)]
    [InlineData(403)]
    [InlineData(404)]
    [InlineData(413)]
    public async Task Another_4xx_is_never_retried(int status) =>
        Assert.Equal(RetryDecision.NeverClientError, await DecideAsync(Keyed(HttpMethod.Post), (HttpStatusCode)status));

    [Theory]
    [InlineData(200)]
    [InlineData(201)]
    [InlineData(202)]
    [InlineData(304)]
    public async Task A_success_or_redirect_is_final(int status) =>
        Assert.Equal(RetryDecision.Final, await DecideAsync(Keyed(HttpMethod.Post), (HttpStatusCode)status));

    [Theory]
    [InlineData("POST")]
    [InlineData("PUT")]
    [InlineData("PATCH")]
    [InlineData("DELETE")]
    public async Task An_unsafe_method_without_a_key_is_never_retried(string method)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), "/v1/claims");
        Assert.Equal(RetryDecision.NeverUnsafeWithoutKey, await DecideAsync(request, HttpStatusCode.ServiceUnavailable));
        Assert.Equal(RetryDecision.NeverUnsafeWithoutKey, await DecideAsync(request, new HttpRequestException("reset")));
    }

    [Theory]
    [InlineData("GET")]
    [InlineData("HEAD")]
    [InlineData("OPTIONS")]
    public async Task A_safe_method_without_a_key_is_retried(string method)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), "/v1/operations/op_1");
        Assert.Equal(RetryDecision.RetryServerError, await DecideAsync(request, HttpStatusCode.ServiceUnavailable));
    }

    [Fact]
    public async Task A_key_under_the_alias_header_counts_as_a_key()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/claims");
        request.Headers.Add("X-Idempotency-Key", "k-1");
        Assert.Equal(RetryDecision.RetryServerError, await DecideAsync(request, HttpStatusCode.BadGateway));
    }

    [Fact]
    public async Task A_409_body_read_for_its_code_can_still_be_read_by_the_caller()
    {
        using var request = Keyed(HttpMethod.Post);
        using var response = Response(request, HttpStatusCode.Conflict, Envelope("idempotency_key_mismatched_body"));

        await RetryDecisions.DecideAsync(request, Outcome.FromResult(response), CancellationToken.None);

        Assert.Contains("idempotency_key_mismatched_body", await response.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData(0, 1_000)]
    [InlineData(1, 2_000)]
    [InlineData(2, 4_000)]
    [InlineData(5, 32_000)]
    [InlineData(6, 60_000)]
    [InlineData(40, 60_000)]
    public void The_backoff_is_min_60_s_2_to_the_n_s(int attempt, int milliseconds) =>
        Assert.Equal(TimeSpan.FromMilliseconds(milliseconds), RetryDecisions.Delay(attempt, null, Now, new IdempotentRetryOptions(), random: 0.5));

    [Fact]
    public void The_jitter_stays_within_20_percent_either_way()
    {
        var options = new IdempotentRetryOptions();
        Assert.Equal(TimeSpan.FromMilliseconds(3_200), RetryDecisions.Delay(2, null, Now, options, random: 0));
        Assert.Equal(TimeSpan.FromMilliseconds(4_800), RetryDecisions.Delay(2, null, Now, options, random: 1));
    }

    [Fact]
    public void Retry_After_in_seconds_replaces_the_backoff() =>
        Assert.Equal(TimeSpan.FromSeconds(7), RetryDecisions.Delay(0, new RetryConditionHeaderValue(TimeSpan.FromSeconds(7)), Now, new IdempotentRetryOptions(), random: 0));

    [Fact]
    public void Retry_After_as_a_date_waits_until_then() =>
        Assert.Equal(TimeSpan.FromSeconds(12), RetryDecisions.Delay(3, new RetryConditionHeaderValue(Now.AddSeconds(12)), Now, new IdempotentRetryOptions(), random: 0));

    [Fact]
    public void Retry_After_longer_than_the_cap_waits_the_cap() =>
        Assert.Equal(TimeSpan.FromSeconds(60), RetryDecisions.Delay(0, new RetryConditionHeaderValue(TimeSpan.FromHours(1)), Now, new IdempotentRetryOptions(), random: 0));

    private static readonly DateTimeOffset Now = new(2026, 12, 2, 12, 0, 0, TimeSpan.Zero);

    private static HttpRequestMessage Keyed(HttpMethod method)
    {
        var request = new HttpRequestMessage(method, "/v1/claims");
        request.Headers.Add("Idempotency-Key", "k-1");
        return request;
    }

    private static string Envelope(string code) =>
        $$$"""{"data":null,"meta":{"request_id":"req_1"},"error":{"code":"{{{code}}}","message":"m"}}""";

    private static string Problem(string code) =>
        $$"""{"type":"about:blank","title":"Conflict","status":409,"detail":"m","code":"{{code}}","request_id":"req_1"}""";

    private static HttpResponseMessage Response(HttpRequestMessage request, HttpStatusCode status, string? body = null) => new(status)
    {
        RequestMessage = request,
        Content = new StringContent(body ?? "", Encoding.UTF8, "application/json"),
    };

    private static async Task<RetryDecision> DecideAsync(HttpRequestMessage request, HttpStatusCode status, string? body = null)
    {
        using var response = Response(request, status, body);
        return await RetryDecisions.DecideAsync(request, Outcome.FromResult(response), CancellationToken.None);
    }

    private static async Task<RetryDecision> DecideAsync(HttpRequestMessage request, Exception exception) =>
        await RetryDecisions.DecideAsync(request, Outcome.FromException<HttpResponseMessage>(exception), CancellationToken.None);
}
