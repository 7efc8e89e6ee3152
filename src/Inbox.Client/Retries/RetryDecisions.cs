using System.Net;
using System.Net.Http.Headers;
using Inbox.Client.Keys;
using Inbox.Client.Responses;
using Polly;
using Polly.Timeout;

namespace Inbox.Client.Retries;

/// <summary>The safe retry rules: what is retried, and what never is.</summary>
internal static class RetryDecisions
{
    public static bool IsRetry(this RetryDecision decision) => decision is >= RetryDecision.RetryTransportError and <= RetryDecision.RetryKeyInUse;

    /// <summary>The decision for an attempt of <paramref name="request"/> that ended in <paramref name="outcome"/>.</summary>
    public static async ValueTask<RetryDecision> DecideAsync(HttpRequestMessage? request, Outcome<HttpResponseMessage> outcome, CancellationToken cancellationToken)
    {
        if (request is not null && !RequestKeys.IsSafe(request.Method) && !RequestKeys.HasKeyHeader(request))
        {
            return RetryDecision.NeverUnsafeWithoutKey;
        }

        if (outcome.Exception is { } exception)
        {
            return Decide(exception);
        }

        if (outcome.Result is not { } response)
        {
            return RetryDecision.Final;
        }

        var code = response.StatusCode == HttpStatusCode.Conflict
            ? await ErrorBody.ReadCodeAsync(response, cancellationToken).ConfigureAwait(false)
            : null;
        return Decide(response.StatusCode, code);
    }

    public static RetryDecision Decide(Exception exception) => exception switch
    {
        HttpRequestException => RetryDecision.RetryTransportError,
        TimeoutRejectedException => RetryDecision.RetryAttemptTimeout,
        _ => RetryDecision.NeverOtherException,
    };

    /// <summary>The decision for an answer; <paramref name="errorCode"/> is the error code of a 409's body.</summary>
    public static RetryDecision Decide(HttpStatusCode status, string? errorCode) => (int)status switch
    {
        408 => RetryDecision.RetryRequestTimeout,
        429 => RetryDecision.RetryTooManyRequests,
        >= 500 and <= 599 => RetryDecision.RetryServerError,
        409 when errorCode == IdempotencyErrorCodes.KeyInUse => RetryDecision.RetryKeyInUse,
        409 when errorCode == IdempotencyErrorCodes.KeyMismatchedBody => RetryDecision.NeverKeyMismatch,
        422 => RetryDecision.NeverUnprocessable,
        >= 400 and <= 499 => RetryDecision.NeverClientError,
        _ => RetryDecision.Final,
    };

    /// <summary>
    /// The wait before retry <paramref name="attempt"/> (0 for the first retry): the server's <c>Retry-After</c>, capped
    /// at <see cref="IdempotentRetryOptions.MaxRetryAfter"/>, else <c>min(MaxDelay, BaseDelay · 2ⁿ)</c> ± the jitter.
    /// <paramref name="random"/> is uniform in [0, 1).
    /// </summary>
    public static TimeSpan Delay(int attempt, RetryConditionHeaderValue? retryAfter, DateTimeOffset now, IdempotentRetryOptions options, double random)
    {
        if (RetryAfter(retryAfter, now) is { } asked)
        {
            return asked > options.MaxRetryAfter ? options.MaxRetryAfter : asked;
        }

        var exponential = options.BaseDelay.TotalMilliseconds * Math.Pow(2, Math.Min(attempt, 30));
        var capped = Math.Min(options.MaxDelay.TotalMilliseconds, exponential);
        var jittered = capped * (1 + (options.JitterFactor * ((2 * random) - 1)));
        return TimeSpan.FromMilliseconds(Math.Max(0, jittered));
    }

    private static TimeSpan? RetryAfter(RetryConditionHeaderValue? header, DateTimeOffset now)
    {
        if (header?.Delta is { } delta)
        {
            return delta < TimeSpan.Zero ? TimeSpan.Zero : delta;
        }

        if (header?.Date is { } date)
        {
            var wait = date - now;
            return wait < TimeSpan.Zero ? TimeSpan.Zero : wait;
        }

        return null;
    }
}
