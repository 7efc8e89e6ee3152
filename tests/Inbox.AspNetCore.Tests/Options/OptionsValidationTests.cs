using Inbox.AspNetCore.Tests.Support;
using Inbox.Background;
using Inbox.EntityFrameworkCore;
using Inbox.Testing;
using Microsoft.Extensions.Options;

namespace Inbox.AspNetCore.Tests.Options;

public sealed class OptionsValidationTests
{
    [Fact]
    public void Idempotency_options_report_every_error_at_once()
    {
        var options = new IdempotencyOptions
        {
            HeaderName = "",
            AlternateHeaderName = "",
            MaxBodySize = 0,
            InUseTimeout = TimeSpan.Zero,
            PublishTimeout = TimeSpan.FromSeconds(-1),
            RetryAfter = TimeSpan.Zero,
            PublishTiming = (PublishTiming)5,
            MismatchStatusCode = 200,
        };
        options.AddPolicy("broken", policy => policy.Retention = TimeSpan.Zero);

        var result = new IdempotencyOptionsValidator().Validate(null, options);

        Assert.True(result.Failed);
        Assert.Equal(
        [
            "IdempotencyOptions.HeaderName must not be empty.",
            "IdempotencyOptions.AlternateHeaderName must be null or a header name other than HeaderName.",
            "IdempotencyOptions.MaxBodySize must be at least 1 byte; it is 0.",
            "IdempotencyOptions.InUseTimeout must be greater than zero; it is 00:00:00.",
            "IdempotencyOptions.PublishTimeout must be greater than zero; it is -00:00:01.",
            "IdempotencyOptions.RetryAfter must be greater than zero; it is 00:00:00.",
            "IdempotencyOptions.PublishTiming must be BeforeResponse or AfterResponse; it is 5.",
            "IdempotencyOptions.MismatchStatusCode must be a 4xx status; it is 200.",
            "IdempotencyOptions.Policies[\"broken\"].Retention must be greater than zero; it is 00:00:00.",
        ], result.Failures);
    }

    [Fact]
    public void Synchronous_endpoint_options_report_every_error_at_once()
    {
        var options = new IdempotencyOptions { MaxResponseSize = -1, LeaseSkewMargin = TimeSpan.FromSeconds(-1) };
        options.AddPolicy("sync", policy =>
        {
            policy.LeaseDuration = TimeSpan.Zero;
            policy.StoresResponse = null!;
            policy.Mode = (IdempotencyMode)7;
        });

        var result = new IdempotencyOptionsValidator().Validate(null, options);

        Assert.Equal(
        [
            "IdempotencyOptions.MaxResponseSize must not be negative; it is -1.",
            "IdempotencyOptions.LeaseSkewMargin must not be negative; it is -00:00:01.",
            "IdempotencyOptions.Policies[\"sync\"].LeaseDuration must be greater than zero; it is 00:00:00.",
            "IdempotencyOptions.Policies[\"sync\"].StoresResponse must not be null.",
            "IdempotencyOptions.Policies[\"sync\"].Mode must be Accept, Transactional or Leased; it is 7.",
        ], result.Failures);
    }

    [Theory]
    [InlineData(200, true)]
    [InlineData(201, true)]
    [InlineData(204, true)]
    [InlineData(302, false)]
    [InlineData(400, true)]
    [InlineData(401, false)]
    [InlineData(403, false)]
    [InlineData(404, true)]
    [InlineData(408, false)]
    [InlineData(409, false)]
    [InlineData(422, true)]
    [InlineData(429, false)]
    [InlineData(500, false)]
    [InlineData(503, false)]
    public void Default_stored_statuses_are_2xx_and_the_4xx_a_retry_gets_again(int status, bool stored)
    {
        Assert.Equal(stored, IdempotencyDefaults.StoresResponse(status));
    }

    [Fact]
    public void Default_options_are_valid()
    {
        Assert.True(new IdempotencyOptionsValidator().Validate(null, new IdempotencyOptions()).Succeeded);
    }

    [Fact]
    public async Task Invalid_options_stop_the_application_at_start_up()
    {
        var database = await TestDatabase.CreateAsync(DatabaseKind.Sqlite);
        try
        {
            var error = await Assert.ThrowsAsync<AggregateException>(() => TestApi.StartAsync(
                database,
                options => options.MaxBodySize = -1,
                store =>
                {
                    store.RelayBatchSize = 0;
                    store.RelayMaxDelay = TimeSpan.FromSeconds(10);
                    store.RelayStalledThreshold = 0;
                    store.SweepLoadShare = 1.5;
                    store.GroupCommitWindow = TimeSpan.Zero;
                    store.GroupCommitMaxRows = 1001;
                }));

            var failures = error.InnerExceptions.Cast<OptionsValidationException>().SelectMany(e => e.Failures).Order().ToArray();
            Assert.Equal(
            [
                "IdempotencyOptions.MaxBodySize must be at least 1 byte; it is -1.",
                "InboxStoreOptions.GroupCommitMaxRows must be between 1 and 1000; it is 1001.",
                "InboxStoreOptions.GroupCommitWindow must be greater than zero and at most 1 second; it is 00:00:00.",
                "InboxStoreOptions.RelayBatchSize must be between 1 and 100000; it is 0.",
                "InboxStoreOptions.RelayMaxDelay must be at least RelayDelay (00:00:30); it is 00:00:10.",
                "InboxStoreOptions.RelayStalledThreshold must be between 1 and 100000; it is 0.",
                "InboxStoreOptions.SweepLoadShare must be greater than 0 and at most 1; it is 1.5.",
            ], failures);
        }
        finally
        {
            await database.DisposeAsync();
        }
    }

    [Fact]
    public void Unknown_policy_name_is_a_clear_error()
    {
        var error = Assert.Throws<InvalidOperationException>(() => new IdempotencyOptions().GetPolicy("missing"));

        Assert.Contains("'missing'", error.Message);
        Assert.Contains("options.AddPolicy(\"missing\", ...)", error.Message);
    }
}
