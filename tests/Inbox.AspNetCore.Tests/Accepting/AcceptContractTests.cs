using System.Net;
using System.Text;
using Inbox.AspNetCore.Tests.Support;
using Inbox.EntityFrameworkCore.Model;
using Inbox.Operations;
using Inbox.Testing;
using Microsoft.EntityFrameworkCore;

namespace Inbox.AspNetCore.Tests.Accepting;

/// <summary>The rows of DESIGN.md's HTTP table, against a real database of each provider.</summary>
public abstract class AcceptContractTests
{
    protected abstract DatabaseKind Kind { get; }

    /// <summary>Whether the store runs with group commit on (<c>InboxStoreOptions.GroupCommit</c>).</summary>
    protected virtual bool GroupCommit => false;

    protected async Task<TestApi> StartAsync(Action<IdempotencyOptions>? configure = null) =>
        await TestApi.StartAsync(await ContractDatabase.CreateAsync(Kind), configure, store => store.GroupCommit = GroupCommit);

    [SkippableFact]
    public async Task First_request_is_stored_then_published_and_answered_202_with_the_status_url()
    {
        await using var api = await StartAsync();
        var rowCommittedAtPublish = false;
        api.Publisher.OnPublish = async publication =>
        {
            // Another connection sees the row: it was committed before the publish (and so before the 202).
            await using var db = api.CreateDbContext();
            rowCommittedAtPublish = await db.Set<InboxOperation>().AnyAsync(o => o.Id == publication.OperationId);
        };

        var response = await api.Client.SendAsync(Http.Post("/claims", Http.ValidClaim, key: "key-1"));

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var body = await response.JsonAsync();
        var data = body.GetProperty("data");
        var id = data.GetProperty("id").GetString()!;
        Assert.True(RandomIds.IsOperationId(id));
        Assert.Equal("accepted", data.GetProperty("status").GetString());
        Assert.Equal($"/operations/{id}", data.GetProperty("status_url").GetString());
        Assert.StartsWith("req_", body.GetProperty("meta").GetProperty("request_id").GetString());
        Assert.Equal(System.Text.Json.JsonValueKind.Null, body.GetProperty("error").ValueKind);
        Assert.Equal($"/operations/{id}", response.Headers.Location?.OriginalString);
        Assert.Equal($"/operations/{id}", response.Header("Operation-Location"));
        Assert.Equal("1", response.Header("Retry-After"));
        Assert.Null(response.Header("Idempotent-Replayed"));

        Assert.True(rowCommittedAtPublish);
        var published = Assert.Single(api.Publisher.Published);
        Assert.Equal(id, published.OperationId);
        Assert.Equal("key-1", published.IdempotencyKey);
        Assert.Equal(new OperationScope("", "POST /claims"), published.Scope);
        Assert.Equal(new SubmitClaim("pat_123", 12500), published.Message);

        var row = Assert.Single(await api.OperationsAsync());
        Assert.Equal(id, row.Id);
        Assert.Equal(OperationStatus.Accepted, row.Status);
        Assert.Equal("key-1", row.IdempotencyKey);
    }

    [SkippableFact]
    public async Task Retry_with_same_key_and_body_replays_the_acceptance_byte_for_byte()
    {
        await using var api = await StartAsync();
        var first = await api.Client.SendAsync(Http.Post("/claims", Http.ValidClaim, key: "key-1"));
        var firstBody = await first.Content.ReadAsByteArrayAsync();

        var retry = await api.Client.SendAsync(Http.Post("/claims", Http.ValidClaim, key: "key-1"));

        Assert.Equal(HttpStatusCode.Accepted, retry.StatusCode);
        Assert.Equal(firstBody, await retry.Content.ReadAsByteArrayAsync());
        Assert.Equal("true", retry.Header("Idempotent-Replayed"));
        Assert.Equal(first.Headers.Location, retry.Headers.Location);
        Assert.Equal(first.Header("Operation-Location"), retry.Header("Operation-Location"));
        Assert.Equal(first.Header("Retry-After"), retry.Header("Retry-After"));
        Assert.Equal(first.Content.Headers.ContentType, retry.Content.Headers.ContentType);
        Assert.Single(await api.OperationsAsync());
        Assert.Single(api.Publisher.Published);
    }

    [SkippableFact]
    public async Task Retry_with_reordered_keys_and_other_whitespace_replays()
    {
        await using var api = await StartAsync();
        var first = await api.Client.SendAsync(Http.Post("/claims", """{"patientId":"pat_123","amountCents":12500}""", key: "key-1"));

        var retry = await api.Client.SendAsync(Http.Post("/claims", "{\n  \"amountCents\" : 12500,\n  \"patientId\" : \"pat_123\"\n}", key: "key-1"));

        Assert.Equal(HttpStatusCode.Accepted, retry.StatusCode);
        Assert.Equal("true", retry.Header("Idempotent-Replayed"));
        Assert.Equal(await first.Content.ReadAsStringAsync(), await retry.Content.ReadAsStringAsync());
        Assert.Single(api.Publisher.Published);
    }

    [SkippableFact]
    public async Task Key_sent_under_the_alias_header_replays_the_same_operation()
    {
        await using var api = await StartAsync();
        var first = await api.Client.SendAsync(Http.Post("/claims", Http.ValidClaim, key: "key-1"));

        var viaAlias = Http.Post("/claims", Http.ValidClaim);
        viaAlias.Headers.TryAddWithoutValidation("X-Idempotency-Key", "key-1");
        var retry = await api.Client.SendAsync(viaAlias);

        Assert.Equal("true", retry.Header("Idempotent-Replayed"));
        Assert.Equal(await first.Content.ReadAsStringAsync(), await retry.Content.ReadAsStringAsync());
    }

    [SkippableFact]
    public async Task Both_headers_with_one_value_are_one_key()
    {
        await using var api = await StartAsync();
        var both = Http.Post("/claims", Http.ValidClaim, key: "key-1");
        both.Headers.TryAddWithoutValidation("X-Idempotency-Key", "key-1");
        var first = await api.Client.SendAsync(both);

        var retry = await api.Client.SendAsync(Http.Post("/claims", Http.ValidClaim, key: "key-1"));

        Assert.Equal(HttpStatusCode.Accepted, first.StatusCode);
        Assert.Equal("true", retry.Header("Idempotent-Replayed"));
    }

    [SkippableFact]
    public async Task Quoted_key_is_unquoted_and_replays_the_bare_key()
    {
        await using var api = await StartAsync();
        var first = await api.Client.SendAsync(Http.Post("/claims", Http.ValidClaim, key: "\"key-1\""));

        var retry = await api.Client.SendAsync(Http.Post("/claims", Http.ValidClaim, key: "key-1"));

        Assert.Equal(HttpStatusCode.Accepted, first.StatusCode);
        Assert.Equal("true", retry.Header("Idempotent-Replayed"));
        Assert.Equal("key-1", Assert.Single(await api.OperationsAsync()).IdempotencyKey);
    }

    [SkippableFact]
    public async Task Same_key_with_another_body_is_409_mismatch_and_the_original_is_untouched()
    {
        await using var api = await StartAsync();
        var first = await api.Client.SendAsync(Http.Post("/claims", Http.ValidClaim, key: "key-1"));
        var before = Assert.Single(await api.OperationsAsync());

        var other = await api.Client.SendAsync(Http.Post("/claims", """{"patientId": "pat_123", "amountCents": 99}""", key: "key-1"));

        Assert.Equal(HttpStatusCode.Conflict, other.StatusCode);
        var (code, message) = await other.ErrorAsync();
        Assert.Equal("idempotency_key_mismatched_body", code);
        Assert.Contains("different request body", message);
        var after = Assert.Single(await api.OperationsAsync());
        Assert.Equal(before.Id, after.Id);
        Assert.Equal(before.Fingerprint, after.Fingerprint);
        Assert.Equal(before.ResponseBody, after.ResponseBody);
        Assert.Single(api.Publisher.Published);

        var replay = await api.Client.SendAsync(Http.Post("/claims", Http.ValidClaim, key: "key-1"));
        Assert.Equal(await first.Content.ReadAsStringAsync(), await replay.Content.ReadAsStringAsync());
    }

    [SkippableFact]
    public async Task Mismatch_status_is_configurable_to_422()
    {
        await using var api = await StartAsync(options => options.MismatchStatusCode = 422);
        await api.Client.SendAsync(Http.Post("/claims", Http.ValidClaim, key: "key-1"));

        var other = await api.Client.SendAsync(Http.Post("/claims", """{"patientId": "pat_9", "amountCents": 1}""", key: "key-1"));

        Assert.Equal((HttpStatusCode)422, other.StatusCode);
        Assert.Equal("idempotency_key_mismatched_body", (await other.ErrorAsync()).Code);
    }

    [SkippableFact]
    public async Task Same_key_on_another_endpoint_is_another_operation()
    {
        await using var api = await StartAsync();
        var first = await (await api.Client.SendAsync(Http.Post("/claims", Http.ValidClaim, key: "key-1"))).JsonAsync();

        var other = await api.Client.SendAsync(Http.Post("/other-claims", Http.ValidClaim, key: "key-1"));

        Assert.Equal(HttpStatusCode.Accepted, other.StatusCode);
        Assert.Null(other.Header("Idempotent-Replayed"));
        Assert.NotEqual(first.GetProperty("data").GetProperty("id").GetString(), (await other.JsonAsync()).GetProperty("data").GetProperty("id").GetString());
        Assert.Equal(2, (await api.OperationsAsync()).Count);
    }

    [SkippableFact]
    public async Task Same_key_under_another_tenant_is_another_operation()
    {
        await using var api = await StartAsync();
        var a = await api.Client.SendAsync(Http.Post("/claims", Http.ValidClaim, key: "key-1", tenant: "org_a"));

        var b = await api.Client.SendAsync(Http.Post("/claims", Http.ValidClaim, key: "key-1", tenant: "org_b"));

        Assert.Equal(HttpStatusCode.Accepted, b.StatusCode);
        Assert.Null(b.Header("Idempotent-Replayed"));
        var rows = await api.OperationsAsync();
        Assert.Equal(["org_a", "org_b"], rows.Select(r => r.TenantId).Order().ToArray());
        Assert.NotEqual(a.Headers.Location, b.Headers.Location);
    }

    [SkippableFact]
    public async Task Keys_and_tenants_differing_only_by_case_are_other_operations()
    {
        await using var api = await StartAsync();
        var first = await api.Client.SendAsync(Http.Post("/claims", Http.ValidClaim, key: "Order-1", tenant: "Acme"));

        var otherKey = await api.Client.SendAsync(Http.Post("/claims", Http.ValidClaim, key: "order-1", tenant: "Acme"));
        var otherTenant = await api.Client.SendAsync(Http.Post("/claims", Http.ValidClaim, key: "Order-1", tenant: "acme"));

        Assert.Equal([HttpStatusCode.Accepted, HttpStatusCode.Accepted], new[] { otherKey.StatusCode, otherTenant.StatusCode });
        Assert.Null(otherKey.Header("Idempotent-Replayed"));
        Assert.Null(otherTenant.Header("Idempotent-Replayed"));
        Assert.Equal(3, new[] { first, otherKey, otherTenant }.Select(r => r.Headers.Location).Distinct().Count());
        Assert.Equal(3, (await api.OperationsAsync()).Count);
    }

    [SkippableFact]
    public async Task Request_without_a_key_is_processed_without_deduplication()
    {
        await using var api = await StartAsync();

        var first = await api.Client.SendAsync(Http.Post("/claims", Http.ValidClaim));
        var second = await api.Client.SendAsync(Http.Post("/claims", Http.ValidClaim));

        Assert.Equal(HttpStatusCode.Accepted, first.StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, second.StatusCode);
        Assert.NotEqual(first.Headers.Location, second.Headers.Location);
        Assert.All(await api.OperationsAsync(), row => Assert.Null(row.IdempotencyKey));
        Assert.Equal(2, api.Publisher.Published.Count);

        var status = await api.Client.SendAsync(Http.Get(first.Headers.Location!.OriginalString));
        Assert.Equal(HttpStatusCode.OK, status.StatusCode);
    }

    [SkippableFact]
    public async Task Policy_can_require_a_key()
    {
        await using var api = await StartAsync();

        var response = await api.Client.SendAsync(Http.Post("/required-claims", Http.ValidClaim));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var (code, message) = await response.ErrorAsync();
        Assert.Equal("idempotency_key_required", code);
        Assert.Contains("requires an Idempotency-Key header", message);
        Assert.Empty(await api.OperationsAsync());
        Assert.Empty(api.Publisher.Published);
    }

    [SkippableFact]
    public async Task Policy_can_require_a_uuid()
    {
        await using var api = await StartAsync();

        var bad = await api.Client.SendAsync(Http.Post("/uuid-claims", Http.ValidClaim, key: "not-a-uuid"));
        var good = await api.Client.SendAsync(Http.Post("/uuid-claims", Http.ValidClaim, key: "550e8400-e29b-41d4-a716-446655440000"));

        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        var (code, message) = await bad.ErrorAsync();
        Assert.Equal("invalid_idempotency_key", code);
        Assert.Contains("must be a UUID", message);
        Assert.Equal(HttpStatusCode.Accepted, good.StatusCode);
        Assert.Single(await api.OperationsAsync());
    }

    [SkippableTheory]
    [InlineData("\"\"", "must not be empty")]
    [InlineData("has space", "visible ASCII")]
    [InlineData("caf\u00e9", "visible ASCII")]
    [InlineData("tab\there", "visible ASCII")]
    [InlineData("\"open", "does not end with a double quote")]
    [InlineData("\"bad\\nescape\"", "may escape only")]
    [InlineData("__LONG__", "at most 255 characters")]
    public async Task Invalid_key_is_400_with_the_rule_and_nothing_is_stored_or_published(string key, string rule)
    {
        await using var api = await StartAsync();
        if (key == "__LONG__")
        {
            key = new string('k', 256);
        }

        var response = await api.Client.SendAsync(Http.Post("/claims", Http.ValidClaim, key: key));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var (code, message) = await response.ErrorAsync();
        Assert.Equal("invalid_idempotency_key", code);
        Assert.Contains(rule, message);
        Assert.Empty(await api.OperationsAsync());
        Assert.Empty(api.Publisher.Published);
    }

    [SkippableFact]
    public async Task Empty_key_header_is_400()
    {
        await using var api = await StartAsync();

        var context = await api.SendRawAsync(http =>
        {
            http.Request.Method = "POST";
            http.Request.Path = "/claims";
            http.Request.ContentType = "application/json";
            http.Request.Body = new MemoryStream(System.Text.Encoding.UTF8.GetBytes(Http.ValidClaim));
            http.Request.Headers["Idempotency-Key"] = "";
        });

        Assert.Equal(400, context.Response.StatusCode);
        using var body = await System.Text.Json.JsonDocument.ParseAsync(context.Response.Body);
        Assert.Equal("invalid_idempotency_key", body.RootElement.GetProperty("error").GetProperty("code").GetString());
        Assert.Contains("must not be empty", body.RootElement.GetProperty("error").GetProperty("message").GetString());
        Assert.Empty(await api.OperationsAsync());
    }

    [SkippableFact]
    public async Task Repeated_key_header_is_400()
    {
        await using var api = await StartAsync();
        var request = Http.Post("/claims", Http.ValidClaim);
        request.Headers.TryAddWithoutValidation("Idempotency-Key", ["key-1", "key-2"]);

        var response = await api.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var (code, message) = await response.ErrorAsync();
        Assert.Equal("invalid_idempotency_key", code);
        Assert.Contains("must be sent once", message);
        Assert.Empty(await api.OperationsAsync());
    }

    [SkippableFact]
    public async Task Two_header_names_with_different_values_are_400()
    {
        await using var api = await StartAsync();
        var request = Http.Post("/claims", Http.ValidClaim, key: "key-1");
        request.Headers.TryAddWithoutValidation("X-Idempotency-Key", "key-2");

        var response = await api.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var (code, message) = await response.ErrorAsync();
        Assert.Equal("invalid_idempotency_key", code);
        Assert.Contains("carry different values", message);
        Assert.Empty(await api.OperationsAsync());
    }

    [SkippableFact]
    public async Task Authentication_is_checked_before_the_key()
    {
        await using var api = await StartAsync();

        var response = await api.Client.SendAsync(Http.Post("/secure-claims", Http.ValidClaim, key: "has space"));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Empty(await api.OperationsAsync());
    }

    [SkippableFact]
    public async Task Key_is_checked_before_the_body_is_validated()
    {
        await using var api = await StartAsync();

        var response = await api.Client.SendAsync(Http.Post("/claims", """{"patientId": ""}""", key: "has space"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("invalid_idempotency_key", (await response.ErrorAsync()).Code);
    }

    [SkippableFact]
    public async Task Body_rejected_by_validation_stores_nothing_so_the_key_can_be_sent_again_with_a_corrected_body()
    {
        await using var api = await StartAsync();

        var invalid = await api.Client.SendAsync(Http.Post("/claims", """{"patientId": "", "amountCents": 0}""", key: "key-1"));
        Assert.Equal(HttpStatusCode.BadRequest, invalid.StatusCode);
        Assert.Equal("invalid_request", (await invalid.ErrorAsync()).Code);
        Assert.Empty(await api.OperationsAsync());

        var corrected = await api.Client.SendAsync(Http.Post("/claims", Http.ValidClaim, key: "key-1"));

        Assert.Equal(HttpStatusCode.Accepted, corrected.StatusCode);
        Assert.Null(corrected.Header("Idempotent-Replayed"));
        Assert.Single(api.Publisher.Published);
    }

    [SkippableFact]
    public async Task Body_larger_than_the_limit_is_413_and_nothing_is_stored()
    {
        await using var api = await StartAsync(options => options.MaxBodySize = 64);
        var big = $$"""{"patientId": "{{new string('p', 100)}}", "amountCents": 1}""";

        var response = await api.Client.SendAsync(Http.Post("/claims", big, key: "key-1"));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal("request_body_too_large", (await response.ErrorAsync()).Code);
        Assert.Empty(await api.OperationsAsync());
        Assert.Empty(api.Publisher.Published);
    }

    [SkippableFact]
    public async Task Body_over_the_limit_without_a_content_length_is_413_and_nothing_is_stored()
    {
        await using var api = await StartAsync(options => options.MaxBodySize = 64);
        var request = Http.Post("/claims", json: null, key: "key-1");
        request.Content = new UnsizedContent(Encoding.UTF8.GetBytes($$"""{"patientId": "{{new string('p', 100)}}", "amountCents": 1}"""));
        request.Content.Headers.ContentType = new("application/json");

        var response = await api.Client.SendAsync(request);

        Assert.Null(request.Content.Headers.ContentLength);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal("request_body_too_large", (await response.ErrorAsync()).Code);
        Assert.Empty(await api.OperationsAsync());
        Assert.Empty(api.Publisher.Published);
    }

    /// <summary>A body whose length is not known up front, as a streamed (chunked) upload sends it.</summary>
    private sealed class UnsizedContent(byte[] bytes) : HttpContent
    {
        protected override Task SerializeToStreamAsync(Stream stream, System.Net.TransportContext? context) => stream.WriteAsync(bytes).AsTask();

        protected override bool TryComputeLength(out long length)
        {
            length = 0;
            return false;
        }
    }

    [SkippableFact]
    public async Task Non_json_body_is_fingerprinted_as_bytes()
    {
        await using var api = await StartAsync();
        var first = await api.Client.SendAsync(Http.Post("/raw", "a b", key: "key-1", contentType: "text/plain"));

        var same = await api.Client.SendAsync(Http.Post("/raw", "a b", key: "key-1", contentType: "text/plain"));
        var other = await api.Client.SendAsync(Http.Post("/raw", "a  b", key: "key-1", contentType: "text/plain"));

        Assert.Equal(HttpStatusCode.Accepted, first.StatusCode);
        Assert.Equal("true", same.Header("Idempotent-Replayed"));
        Assert.Equal(HttpStatusCode.Conflict, other.StatusCode);
    }

    [SkippableFact]
    public async Task Get_head_and_delete_ignore_the_key_header()
    {
        await using var api = await StartAsync();
        var get = new HttpRequestMessage(HttpMethod.Get, "/mixed");
        get.Headers.TryAddWithoutValidation("Idempotency-Key", "has space");
        var head = new HttpRequestMessage(HttpMethod.Head, "/mixed");
        head.Headers.TryAddWithoutValidation("Idempotency-Key", ["key-1", "key-2"]);
        var delete = new HttpRequestMessage(HttpMethod.Delete, "/mixed");
        delete.Headers.TryAddWithoutValidation("Idempotency-Key", "");

        Assert.Equal(HttpStatusCode.OK, (await api.Client.SendAsync(get)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await api.Client.SendAsync(head)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await api.Client.SendAsync(delete)).StatusCode);
        Assert.Empty(await api.OperationsAsync());
    }

    [SkippableFact]
    public async Task Endpoint_without_the_metadata_is_untouched()
    {
        await using var api = await StartAsync();

        var response = await api.Client.SendAsync(Http.Post("/plain", Http.ValidClaim, key: "has space"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Empty(await api.OperationsAsync());
    }

    [SkippableFact]
    public async Task Fifty_concurrent_identical_posts_make_one_operation_and_one_publish()
    {
        await using var api = await StartAsync();
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var sends = Enumerable.Range(0, 50).Select(async _ =>
        {
            await gate.Task;
            var response = await api.Client.SendAsync(Http.Post("/claims", Http.ValidClaim, key: "hot-key"));
            return (response.StatusCode, Body: await response.JsonAsync());
        }).ToArray();
        gate.SetResult();
        var real = await Task.WhenAll(sends);

        Assert.All(real, r => Assert.Equal(HttpStatusCode.Accepted, r.StatusCode));
        var ids = real.Select(r => r.Body.GetProperty("data").GetProperty("id").GetString()).Distinct().ToArray();
        Assert.Single(ids);
        Assert.Single(real.Select(r => r.Body.GetProperty("meta").GetProperty("request_id").GetString()).Distinct());
        Assert.Equal(ids[0], Assert.Single(await api.OperationsAsync()).Id);
        Assert.Equal(ids[0], Assert.Single(api.Publisher.Published).OperationId);
    }

    [SkippableFact]
    public async Task Failed_publish_still_answers_202_and_the_operation_stays_for_the_relay()
    {
        await using var api = await StartAsync();
        api.Publisher.Fail = true;

        var response = await api.Client.SendAsync(Http.Post("/claims", Http.ValidClaim, key: "key-1"));

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal(1, api.Publisher.Attempts);
        Assert.Empty(api.Publisher.Published);
        Assert.Equal(OperationStatus.Accepted, Assert.Single(await api.OperationsAsync()).Status);

        var retry = await api.Client.SendAsync(Http.Post("/claims", Http.ValidClaim, key: "key-1"));
        Assert.Equal("true", retry.Header("Idempotent-Replayed"));
    }

    [SkippableFact]
    public async Task Key_older_than_the_retention_makes_a_new_operation_even_before_the_sweeper_runs()
    {
        await using var api = await StartAsync();
        var first = await api.Client.SendAsync(Http.Post("/claims", Http.ValidClaim, key: "key-1"));
        var firstLocation = first.Headers.Location!.OriginalString;

        api.FakeTime.Advance(TimeSpan.FromHours(24));
        var afterExpiry = await api.Client.SendAsync(Http.Post("/claims", """{"patientId": "pat_9", "amountCents": 1}""", key: "key-1"));

        Assert.Equal(HttpStatusCode.Accepted, afterExpiry.StatusCode);
        Assert.Null(afterExpiry.Header("Idempotent-Replayed"));
        Assert.NotEqual(firstLocation, afterExpiry.Headers.Location!.OriginalString);
        var row = Assert.Single(await api.OperationsAsync());
        Assert.Equal(afterExpiry.Headers.Location!.OriginalString, $"/operations/{row.Id}");
        Assert.Equal(2, api.Publisher.Published.Count);
        Assert.Equal(HttpStatusCode.NotFound, (await api.Client.SendAsync(Http.Get(firstLocation))).StatusCode);
    }

    [SkippableFact]
    public async Task Policy_retention_sets_when_the_key_expires()
    {
        await using var api = await StartAsync();
        var first = await api.Client.SendAsync(Http.Post("/short-claims", Http.ValidClaim, key: "key-1"));
        Assert.Equal(new DateTimeOffset(2026, 11, 23, 10, 0, 0, TimeSpan.Zero), Assert.Single(await api.OperationsAsync()).ExpiresAt);

        api.FakeTime.Advance(TimeSpan.FromMinutes(59));
        var inside = await api.Client.SendAsync(Http.Post("/short-claims", Http.ValidClaim, key: "key-1"));
        api.FakeTime.Advance(TimeSpan.FromMinutes(1));
        var after = await api.Client.SendAsync(Http.Post("/short-claims", Http.ValidClaim, key: "key-1"));

        Assert.Equal("true", inside.Header("Idempotent-Replayed"));
        Assert.Equal(HttpStatusCode.Accepted, after.StatusCode);
        Assert.Null(after.Header("Idempotent-Replayed"));
        Assert.NotEqual(first.Headers.Location, after.Headers.Location);
        Assert.Equal(2, api.Publisher.Published.Count);
    }

    [SkippableTheory]
    [InlineData("PUT")]
    [InlineData("PATCH")]
    public async Task Put_and_patch_follow_the_contract_like_post(string method)
    {
        await using var api = await StartAsync();
        HttpRequestMessage Send(string body)
        {
            var request = Http.Post("/put-claims", body, key: "key-1");
            request.Method = new HttpMethod(method);
            return request;
        }

        var first = await api.Client.SendAsync(Send(Http.ValidClaim));
        var retry = await api.Client.SendAsync(Send(Http.ValidClaim));
        var other = await api.Client.SendAsync(Send("""{"patientId": "pat_9", "amountCents": 1}"""));

        Assert.Equal(HttpStatusCode.Accepted, first.StatusCode);
        Assert.Equal("true", retry.Header("Idempotent-Replayed"));
        Assert.Equal(await first.Content.ReadAsByteArrayAsync(), await retry.Content.ReadAsByteArrayAsync());
        Assert.Equal(HttpStatusCode.Conflict, other.StatusCode);
        Assert.Single(api.Publisher.Published);
    }

    [SkippableFact]
    public async Task Key_just_inside_the_retention_still_replays()
    {
        await using var api = await StartAsync();
        await api.Client.SendAsync(Http.Post("/claims", Http.ValidClaim, key: "key-1"));

        api.FakeTime.Advance(TimeSpan.FromHours(24) - TimeSpan.FromSeconds(1));
        var retry = await api.Client.SendAsync(Http.Post("/claims", Http.ValidClaim, key: "key-1"));

        Assert.Equal("true", retry.Header("Idempotent-Replayed"));
    }

    [SkippableFact]
    public async Task Controller_action_opted_in_with_the_attribute_follows_the_contract_and_its_policy()
    {
        await using var api = await StartAsync();
        const string key = "550e8400-e29b-41d4-a716-446655440000";

        var notUuid = await api.Client.SendAsync(Http.Post("/mvc/claims", Http.ValidClaim, key: "order-1"));
        var first = await api.Client.SendAsync(Http.Post("/mvc/claims", Http.ValidClaim, key: key));
        var retry = await api.Client.SendAsync(Http.Post("/mvc/claims", Http.ValidClaim, key: key));

        Assert.Equal(HttpStatusCode.BadRequest, notUuid.StatusCode);
        Assert.Equal("invalid_idempotency_key", (await notUuid.ErrorAsync()).Code);
        Assert.Equal(HttpStatusCode.Accepted, first.StatusCode);
        Assert.Equal("true", retry.Header("Idempotent-Replayed"));
        Assert.Equal("POST /mvc/claims", Assert.Single(await api.OperationsAsync()).Endpoint);
    }

    [SkippableFact]
    public async Task Errors_can_be_written_as_problem_details()
    {
        await using var api = await StartAsync(options => options.ResponseFormat = ResponseFormat.ProblemDetails);

        var response = await api.Client.SendAsync(Http.Post("/claims", Http.ValidClaim, key: "has space"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.JsonAsync();
        Assert.Equal(400, problem.GetProperty("status").GetInt32());
        Assert.Equal("invalid_idempotency_key", problem.GetProperty("code").GetString());
        Assert.Contains("visible ASCII", problem.GetProperty("detail").GetString());
        Assert.StartsWith("req_", problem.GetProperty("request_id").GetString());
        Assert.False(problem.TryGetProperty("stackTrace", out _));
    }
}

public sealed class PostgresAcceptContractTests : AcceptContractTests
{
    protected override DatabaseKind Kind => DatabaseKind.PostgreSql;
}

/// <summary>The same rows with group commit on: every first submission goes through a batch's statement.</summary>
public sealed class PostgresGroupCommitAcceptContractTests : AcceptContractTests
{
    protected override DatabaseKind Kind => DatabaseKind.PostgreSql;

    protected override bool GroupCommit => true;
}

public sealed class SqliteAcceptContractTests : AcceptContractTests
{
    protected override DatabaseKind Kind => DatabaseKind.Sqlite;
}

public sealed class SqlServerAcceptContractTests : AcceptContractTests
{
    protected override DatabaseKind Kind => DatabaseKind.SqlServer;
}
