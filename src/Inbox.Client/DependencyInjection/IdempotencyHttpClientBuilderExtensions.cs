using Inbox.Client;
using Inbox.Client.Keys;
using Inbox.Client.Retries;
using Microsoft.Extensions.Http.Resilience;
using Polly;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Makes an <see cref="HttpClient"/> safe to retry against an API that honours idempotency keys.</summary>
public static class IdempotencyHttpClientBuilderExtensions
{
    /// <summary>
    /// Gives every POST, PUT and PATCH without a key one key for the whole logical send: the handler is placed
    /// outermost, outside any resilience handler, whatever the order of the calls, so every retry carries the same key.
    /// A key the caller set (<c>request.SetIdempotencyKey(key)</c>, or a key header already on the request) wins.
    /// </summary>
    /// <exception cref="ArgumentException">The options break a rule (the message names every one).</exception>
    public static IHttpClientBuilder AddIdempotencyKeys(this IHttpClientBuilder builder, Action<IdempotencyKeyOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var options = new IdempotencyKeyOptions();
        configure?.Invoke(options);
        ThrowIfInvalid(options.Validate(), nameof(configure));

        var headerName = options.HeaderName;
        var generate = options.KeyGenerator;
        return builder.ConfigureAdditionalHttpMessageHandlers((handlers, _) =>
            handlers.Insert(0, new IdempotencyKeyHandler(headerName, generate)));
    }

    /// <summary>
    /// Adds the standard resilience handler (<c>AddStandardResilienceHandler()</c>: total timeout, retry, circuit
    /// breaker, attempt timeout) with its retry made safe for writes. It retries transport errors, attempt timeouts, 408,
    /// 429, 5xx and <c>409 idempotency_key_in_use</c>, honouring <c>Retry-After</c> and otherwise backing off
    /// <c>min(60 s, 2ⁿ s)</c> ±20%; it never retries an unsafe method without a key, a
    /// <c>409 idempotency_key_mismatched_body</c>, a 422 or another 4xx. Pair it with <see cref="AddIdempotencyKeys"/>.
    /// Configure the other strategies on the returned builder, as with the standard handler.
    /// </summary>
    /// <exception cref="ArgumentException">The options break a rule (the message names every one).</exception>
    public static IHttpStandardResiliencePipelineBuilder AddIdempotentResilienceHandler(
        this IHttpClientBuilder builder, Action<IdempotentRetryOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var options = new IdempotentRetryOptions();
        configure?.Invoke(options);
        ThrowIfInvalid(options.Validate(), nameof(configure));

        return builder.AddStandardResilienceHandler().Configure((standard, services) =>
        {
            standard.TotalRequestTimeout.Timeout = options.TotalRequestTimeout;
            UseIdempotentRetries(standard.Retry, options, services.GetService<TimeProvider>() ?? TimeProvider.System);
        });
    }

    private static void UseIdempotentRetries(HttpRetryStrategyOptions retry, IdempotentRetryOptions options, TimeProvider time)
    {
        retry.MaxRetryAttempts = options.MaxRetryAttempts;
        retry.BackoffType = DelayBackoffType.Constant;
        retry.Delay = options.BaseDelay;
        retry.MaxDelay = options.MaxRetryAfter > options.MaxDelay ? options.MaxRetryAfter : options.MaxDelay;
        retry.UseJitter = false;
        retry.ShouldRetryAfterHeader = false;
        retry.ShouldHandle = static async args =>
            (await RetryDecisions.DecideAsync(args.Context.GetRequestMessage(), args.Outcome, args.Context.CancellationToken).ConfigureAwait(false)).IsRetry();
        retry.DelayGenerator = args => new ValueTask<TimeSpan?>(RetryDecisions.Delay(
            args.AttemptNumber,
            args.Outcome.Result?.Headers.RetryAfter,
            time.GetUtcNow(),
            options,
            options.Random()));
    }

    private static void ThrowIfInvalid(IReadOnlyList<string> errors, string parameterName)
    {
        if (errors.Count > 0)
        {
            throw new ArgumentException(string.Join(" ", errors), parameterName);
        }
    }
}
