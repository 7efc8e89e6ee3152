using System.Net;
using Inbox.AspNetCore.Tests.Support;
using Inbox.EntityFrameworkCore.Model;
using Inbox.Operations;
using Inbox.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Inbox.AspNetCore.Tests.Synchronous;

/// <summary>DESIGN.md's synchronous endpoints and guarantee 9, over real HTTP against a real database of each provider.</summary>
public abstract class SynchronousContractTests
{
    protected const string Sarah = """{"name": "Sarah Johnson"}""";

    protected abstract DatabaseKind Kind { get; }

    protected async Task<TestApi> StartAsync(Action<IdempotencyOptions>? configure = null, TimeProvider? time = null, bool kestrel = false) =>
        await TestApi.StartAsync(
            await ContractDatabase.CreateAsync(Kind),
            options =>
            {
                options.AddPolicy(SynchronousEndpoints.ReadFirstPolicy, policy => policy.ReadBeforeTransactionalClaim = true);
                configure?.Invoke(options);
            },
            time: time,
            services: SynchronousEndpoints.AddServices,
            kestrel: kestrel,
            endpoints: SynchronousEndpoints.Map);

    protected static HandlerProbe Probe(TestApi api) => api.Services.GetRequiredService<HandlerProbe>();

    protected static async Task<int> PatientsAsync(TestApi api)
    {
        await using var db = api.CreateDbContext();
        return await db.Patients.CountAsync();
    }

    [SkippableTheory]
    [InlineData("/sync/patients")]
    [InlineData("/sync/read-first-patients")]
    [InlineData("/sync/leased-patients")]
    [InlineData("/mvc/patients")]
    public async Task Typed_created_result_replays_as_201_with_its_body_and_location_and_the_handler_runs_once(string path)
    {
        await using var api = await StartAsync();

        var first = await api.Client.SendAsync(Http.Post(path, Sarah, key: "key-1"));
        var retry = await api.Client.SendAsync(Http.Post(path, Sarah, key: "key-1"));

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Null(first.Header("Idempotent-Replayed"));
        Assert.Equal(HttpStatusCode.Created, retry.StatusCode);
        Assert.Equal("true", retry.Header("Idempotent-Replayed"));
        var body = await first.Content.ReadAsByteArrayAsync();
        Assert.Contains("Sarah Johnson", System.Text.Encoding.UTF8.GetString(body));
        Assert.Equal(body, await retry.Content.ReadAsByteArrayAsync());
        Assert.StartsWith("/patients/pat_", first.Headers.Location?.OriginalString);
        Assert.Equal(first.Headers.Location, retry.Headers.Location);
        Assert.Equal(first.Content.Headers.ContentType, retry.Content.Headers.ContentType);
        Assert.Equal(1, Probe(api).Runs);
        Assert.Equal(1, await PatientsAsync(api));

        var row = Assert.Single(await api.OperationsAsync());
        Assert.Equal(OperationStatus.Succeeded, row.Status);
        Assert.Equal(201, row.ResponseStatus);
        Assert.Equal(body, row.ResponseBody);
        Assert.Null(row.LeaseToken);
    }

    [SkippableTheory]
    [InlineData("/sync/patients")]
    [InlineData("/sync/read-first-patients")]
    public async Task Fifty_concurrent_identical_posts_run_the_handler_once_and_all_get_the_same_answer(string path)
    {
        await using var api = await StartAsync(configure: o => o.InUseTimeout = TimeSpan.FromSeconds(60), kestrel: true);

        var answers = await Task.WhenAll(Enumerable.Range(0, 50).Select(async _ =>
        {
            using var response = await api.Client.SendAsync(Http.Post(path, Sarah, key: "key-1"));
            return (response.StatusCode, response.Headers.Location, Body: await response.Content.ReadAsStringAsync(), Replayed: response.Header("Idempotent-Replayed"));
        }));

        Assert.Equal(1, Probe(api).Runs);
        Assert.Equal(1, await PatientsAsync(api));
        Assert.Single(await api.OperationsAsync());
        Assert.All(answers, answer => Assert.Equal(HttpStatusCode.Created, answer.StatusCode));
        Assert.Single(answers.Select(a => (a.Location, a.Body)).Distinct());
        Assert.Equal(49, answers.Count(a => a.Replayed == "true"));
    }

    [SkippableFact]
    public async Task Handler_that_throws_after_save_changes_leaves_nothing_and_the_retry_runs_once()
    {
        await using var api = await StartAsync();

        await Assert.ThrowsAnyAsync<Exception>(() => api.Client.SendAsync(Http.Post("/sync/throws-after-save", Sarah, key: "key-1")));

        Assert.Empty(await api.OperationsAsync());
        Assert.Equal(0, await PatientsAsync(api));

        var retry = await api.Client.SendAsync(Http.Post("/sync/throws-after-save", Sarah, key: "key-1"));

        Assert.Equal(HttpStatusCode.OK, retry.StatusCode);
        Assert.Null(retry.Header("Idempotent-Replayed"));
        Assert.Equal(2, Probe(api).Runs);
        Assert.Equal(1, await PatientsAsync(api));
        Assert.Equal(200, Assert.Single(await api.OperationsAsync()).ResponseStatus);
    }

    [SkippableTheory]
    [InlineData(200)]
    [InlineData(201)]
    [InlineData(204)]
    [InlineData(400)]
    [InlineData(404)]
    [InlineData(410)]
    [InlineData(422)]
    public async Task Status_a_retry_would_get_again_is_stored_and_replayed(int code)
    {
        await using var api = await StartAsync();

        var first = await api.Client.SendAsync(Http.Post($"/sync/status/{code}", Sarah, key: "key-1"));
        var retry = await api.Client.SendAsync(Http.Post($"/sync/status/{code}", Sarah, key: "key-1"));

        Assert.Equal(code, (int)first.StatusCode);
        Assert.Equal(code, (int)retry.StatusCode);
        Assert.Equal("true", retry.Header("Idempotent-Replayed"));
        Assert.Equal(await first.Content.ReadAsByteArrayAsync(), await retry.Content.ReadAsByteArrayAsync());
        Assert.Equal(1, Probe(api).Runs);
        Assert.Equal(1, await PatientsAsync(api));
        Assert.Equal(code, Assert.Single(await api.OperationsAsync()).ResponseStatus);
    }

    [SkippableTheory]
    [InlineData(401)]
    [InlineData(403)]
    [InlineData(408)]
    [InlineData(409)]
    [InlineData(429)]
    [InlineData(500)]
    [InlineData(503)]
    public async Task Status_a_retry_may_not_get_again_is_not_stored_and_the_transactional_writes_roll_back(int code)
    {
        await using var api = await StartAsync();

        var first = await api.Client.SendAsync(Http.Post($"/sync/status/{code}", Sarah, key: "key-1"));
        var retry = await api.Client.SendAsync(Http.Post($"/sync/status/{code}", Sarah, key: "key-1"));

        Assert.Equal(code, (int)first.StatusCode);
        Assert.Equal(code, (int)retry.StatusCode);
        Assert.Null(retry.Header("Idempotent-Replayed"));
        Assert.Equal(2, Probe(api).Runs);
        Assert.Equal(0, await PatientsAsync(api));
        Assert.Empty(await api.OperationsAsync());
    }

    [SkippableTheory]
    [InlineData(201, true)]
    [InlineData(422, true)]
    [InlineData(429, false)]
    [InlineData(502, false)]
    public async Task Leased_endpoint_stores_the_same_status_classes_and_releases_the_key_for_the_others(int code, bool stored)
    {
        await using var api = await StartAsync();

        await api.Client.SendAsync(Http.Post($"/sync/leased-status/{code}", Sarah, key: "key-1"));
        var retry = await api.Client.SendAsync(Http.Post($"/sync/leased-status/{code}", Sarah, key: "key-1"));

        Assert.Equal(code, (int)retry.StatusCode);
        Assert.Equal(stored ? "true" : null, retry.Header("Idempotent-Replayed"));
        Assert.Equal(stored ? 1 : 2, Probe(api).Runs);
        Assert.Equal(stored ? 1 : 0, (await api.OperationsAsync()).Count);
    }

    [SkippableFact]
    public async Task Policy_predicate_can_store_a_status_the_default_does_not()
    {
        await using var api = await StartAsync(o => o.DefaultPolicy.StoresResponse = code => code is 503 || IdempotencyDefaults.StoresResponse(code));

        await api.Client.SendAsync(Http.Post("/sync/status/503", Sarah, key: "key-1"));
        var retry = await api.Client.SendAsync(Http.Post("/sync/status/503", Sarah, key: "key-1"));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, retry.StatusCode);
        Assert.Equal("true", retry.Header("Idempotent-Replayed"));
        Assert.Equal(1, Probe(api).Runs);
    }

    [SkippableFact]
    public async Task Custom_406_replays_as_406()
    {
        await using var api = await StartAsync();

        await api.Client.SendAsync(Http.Post("/sync/not-acceptable", Sarah, key: "key-1"));
        var retry = await api.Client.SendAsync(Http.Post("/sync/not-acceptable", Sarah, key: "key-1"));

        Assert.Equal(HttpStatusCode.NotAcceptable, retry.StatusCode);
        Assert.Equal("true", retry.Header("Idempotent-Replayed"));
        Assert.Equal("application/problem+json", retry.Content.Headers.ContentType?.MediaType);
        Assert.Equal(1, Probe(api).Runs);
    }

    [SkippableFact]
    public async Task Streamed_body_replays_byte_for_byte()
    {
        await using var api = await StartAsync(kestrel: true);

        var first = await api.Client.SendAsync(Http.Post("/sync/stream", Sarah, key: "key-1"));
        var retry = await api.Client.SendAsync(Http.Post("/sync/stream", Sarah, key: "key-1"));

        Assert.Equal(SynchronousEndpoints.StreamedBody, await first.Content.ReadAsByteArrayAsync());
        Assert.Equal(SynchronousEndpoints.StreamedBody, await retry.Content.ReadAsByteArrayAsync());
        Assert.Equal("true", retry.Header("Idempotent-Replayed"));
        Assert.Equal("application/octet-stream", retry.Content.Headers.ContentType?.MediaType);
        Assert.Equal(1, Probe(api).Runs);
    }

    [SkippableFact]
    public async Task Response_over_the_cap_is_sent_whole_not_stored_and_its_key_is_released()
    {
        await using var api = await StartAsync(o => o.MaxResponseSize = 1000, kestrel: true);

        var first = await api.Client.SendAsync(Http.Post("/sync/large", Sarah, key: "key-1"));

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(new string('x', 4000), await first.Content.ReadAsStringAsync());
        Assert.Empty(await api.OperationsAsync());
        // The response was sent, so the handler's writes committed with it.
        Assert.Equal(1, await PatientsAsync(api));

        var retry = await api.Client.SendAsync(Http.Post("/sync/large", Sarah, key: "key-1"));

        Assert.Null(retry.Header("Idempotent-Replayed"));
        Assert.Equal(2, Probe(api).Runs);
    }

    [SkippableTheory]
    [InlineData("/sync/patients")]
    [InlineData("/sync/read-first-patients")]
    [InlineData("/sync/leased-patients")]
    public async Task Same_key_with_another_body_is_409_mismatched_and_the_first_response_stays(string path)
    {
        await using var api = await StartAsync();
        await api.Client.SendAsync(Http.Post(path, Sarah, key: "key-1"));

        var other = await api.Client.SendAsync(Http.Post(path, """{"name": "Someone Else"}""", key: "key-1"));

        Assert.Equal(HttpStatusCode.Conflict, other.StatusCode);
        Assert.Equal("idempotency_key_mismatched_body", (await other.ErrorAsync()).Code);
        Assert.Equal(1, Probe(api).Runs);
        Assert.Equal(201, Assert.Single(await api.OperationsAsync()).ResponseStatus);
    }

    [SkippableFact]
    public async Task Endpoint_filters_added_before_with_idempotency_run_before_the_claim_so_what_they_reject_stores_nothing()
    {
        await using var api = await StartAsync();

        var rejected = await api.Client.SendAsync(Http.Post("/sync/validated-patients", """{"name": " Sarah"}""", key: "key-1"));
        var corrected = await api.Client.SendAsync(Http.Post("/sync/validated-patients", Sarah, key: "key-1"));

        Assert.Equal(HttpStatusCode.BadRequest, rejected.StatusCode);
        Assert.Equal(HttpStatusCode.Created, corrected.StatusCode);
        Assert.Null(corrected.Header("Idempotent-Replayed"));
        Assert.Equal(1, Probe(api).Runs);
    }

    [SkippableFact]
    public async Task Request_without_a_key_runs_every_time()
    {
        await using var api = await StartAsync();

        var first = await api.Client.SendAsync(Http.Post("/sync/patients", Sarah));
        var second = await api.Client.SendAsync(Http.Post("/sync/patients", Sarah));

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.Created, second.StatusCode);
        Assert.NotEqual(first.Headers.Location, second.Headers.Location);
        Assert.Equal(2, Probe(api).Runs);
        Assert.Equal(2, (await api.OperationsAsync()).Count);
    }

    [SkippableTheory]
    [InlineData("/sync/patients")]
    [InlineData("/sync/leased-patients")]
    [InlineData("/mvc/patients")]
    public async Task Bad_input_is_rejected_before_the_claim_and_stores_nothing(string path)
    {
        await using var api = await StartAsync(o => o.MaxBodySize = 512);

        var badKey = await api.Client.SendAsync(Http.Post(path, Sarah, key: new string('k', 256)));
        var twoKeys = Http.Post(path, Sarah, key: "key-1");
        twoKeys.Headers.TryAddWithoutValidation("X-Idempotency-Key", "key-2");
        var disagreeing = await api.Client.SendAsync(twoKeys);
        var duplicateMember = await api.Client.SendAsync(Http.Post(path, """{"name": "Sarah", "Name": "Other"}""", key: "key-1"));
        var tooLarge = await api.Client.SendAsync(Http.Post(path, $$"""{"name": "{{new string('s', 600)}}"}""", key: "key-1"));
        var badBody = await api.Client.SendAsync(Http.Post(path, """{"name": 12""", key: "key-1"));
        var corrected = await api.Client.SendAsync(Http.Post(path, Sarah, key: "key-1"));

        Assert.Equal(HttpStatusCode.BadRequest, badKey.StatusCode);
        Assert.Equal("invalid_idempotency_key", (await badKey.ErrorAsync()).Code);
        Assert.Equal(HttpStatusCode.BadRequest, disagreeing.StatusCode);
        Assert.Equal("invalid_idempotency_key", (await disagreeing.ErrorAsync()).Code);
        Assert.Equal(HttpStatusCode.BadRequest, duplicateMember.StatusCode);
        Assert.Equal("duplicate_json_member", (await duplicateMember.ErrorAsync()).Code);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, tooLarge.StatusCode);
        Assert.Equal("request_body_too_large", (await tooLarge.ErrorAsync()).Code);
        Assert.Equal(HttpStatusCode.BadRequest, badBody.StatusCode);
        // The body the binder refused stored nothing: the same key with a corrected body runs.
        Assert.Equal(HttpStatusCode.Created, corrected.StatusCode);
        Assert.Null(corrected.Header("Idempotent-Replayed"));
        Assert.Equal(1, Probe(api).Runs);
        Assert.Single(await api.OperationsAsync());
    }

    [SkippableFact]
    public async Task Leased_request_during_the_lease_is_409_with_retry_after_and_after_it_expires_runs_again_with_the_same_downstream_key()
    {
        await using var api = await StartAsync(o => o.DefaultPolicy.LeaseDuration = TimeSpan.FromMinutes(10));
        var probe = Probe(api);
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        probe.Gate = gate;

        // The first request claims and stops at the gate, as a process killed mid-handler leaves its lease behind.
        var abandoned = api.Client.SendAsync(Http.Post("/sync/leased-patients", Sarah, key: "key-1"));
        await probe.AtGate.Task.WaitAsync(TimeSpan.FromSeconds(30));

        var during = await api.Client.SendAsync(Http.Post("/sync/leased-patients", Sarah, key: "key-1"));

        Assert.Equal(HttpStatusCode.Conflict, during.StatusCode);
        Assert.Equal("idempotency_key_in_use", (await during.ErrorAsync()).Code);
        Assert.Equal("602", during.Header("Retry-After"));

        // The lease (and the skew margin) runs out: the next retry takes the operation over and runs the handler.
        probe.Gate = null;
        api.FakeTime.Advance(TimeSpan.FromMinutes(10) + TimeSpan.FromSeconds(3));
        var after = await api.Client.SendAsync(Http.Post("/sync/leased-patients", Sarah, key: "key-1"));

        Assert.Equal(HttpStatusCode.Created, after.StatusCode);
        Assert.Null(after.Header("Idempotent-Replayed"));
        Assert.Equal(2, probe.Runs);
        var keys = probe.DownstreamKeys.ToArray();
        Assert.Equal(2, keys.Length);
        Assert.Equal(keys[0], keys[1]);

        // The abandoned request wakes up after the takeover: its lease is gone, so its response is not stored over
        // the one the retries now replay.
        gate.SetResult();
        var late = await abandoned;
        var replay = await api.Client.SendAsync(Http.Post("/sync/leased-patients", Sarah, key: "key-1"));

        Assert.Equal(HttpStatusCode.Created, late.StatusCode);
        Assert.NotEqual(after.Headers.Location, late.Headers.Location);
        Assert.Equal("true", replay.Header("Idempotent-Replayed"));
        Assert.Equal(after.Headers.Location, replay.Headers.Location);
        Assert.Equal(await after.Content.ReadAsByteArrayAsync(), Assert.Single(await api.OperationsAsync()).ResponseBody);
    }
}

public sealed class PostgresSynchronousContractTests : SynchronousContractTests
{
    protected override DatabaseKind Kind => DatabaseKind.PostgreSql;

    // PostgreSQL: the duplicate waits on the first request's uncommitted row, and only that row (SQLite's one write
    // lock would make it wait on any writer).
    [SkippableFact]
    public async Task Transactional_duplicate_waits_on_the_first_request_then_gets_409_in_use_after_the_timeout_and_replays_once_it_commits()
    {
        await using var api = await StartAsync(o => o.InUseTimeout = TimeSpan.FromMilliseconds(500), time: TimeProvider.System, kestrel: true);
        var probe = Probe(api);
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        probe.Gate = gate;

        var first = api.Client.SendAsync(Http.Post("/sync/patients", Sarah, key: "key-1"));
        await probe.AtGate.Task.WaitAsync(TimeSpan.FromSeconds(30));
        var blocked = await api.Client.SendAsync(Http.Post("/sync/patients", Sarah, key: "key-1"));

        Assert.Equal(HttpStatusCode.Conflict, blocked.StatusCode);
        Assert.Equal("idempotency_key_in_use", (await blocked.ErrorAsync()).Code);
        Assert.Equal("1", blocked.Header("Retry-After"));
        // Nothing of the first request is visible while it runs: its claim and its row are one uncommitted transaction.
        Assert.Empty(await api.OperationsAsync());
        Assert.Equal(0, await PatientsAsync(api));

        gate.SetResult();
        var created = await first;
        var replay = await api.Client.SendAsync(Http.Post("/sync/patients", Sarah, key: "key-1"));

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal("true", replay.Header("Idempotent-Replayed"));
        Assert.Equal(await created.Content.ReadAsByteArrayAsync(), await replay.Content.ReadAsByteArrayAsync());
        Assert.Equal(1, probe.Runs);
        Assert.Equal(1, await PatientsAsync(api));
    }
}

public sealed class SqliteSynchronousContractTests : SynchronousContractTests
{
    protected override DatabaseKind Kind => DatabaseKind.Sqlite;
}

public sealed class SqlServerSynchronousContractTests : SynchronousContractTests
{
    protected override DatabaseKind Kind => DatabaseKind.SqlServer;
}
