using System.Net;
using Inbox.AspNetCore.Tests.Support;
using Inbox.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Inbox.AspNetCore.Tests.Seeds;

/// <summary>
/// The Tendral seed (tendral-idempotency.txt) configured as docs/seed-apis.md shows, over Kestrel against each
/// provider: (status, headers, body) stored for 24 hours per API token and replayed with <c>Idempotent-Replayed</c>,
/// and a reused key with another body is <c>409 IDEMPOTENCY_KEY_REUSED</c> with <c>error.type = idempotency_error</c>.
/// </summary>
public abstract class TendralProfileTests
{
    private const string Referral = """{"field": "value"}""";
    private const string Key = "6f8e2c44-a13e-4c8f-9d8b-1c2d3e4f5a6b";
    private const string Token = "tk_live_alpha";

    protected abstract DatabaseKind Kind { get; }

    [SkippableFact]
    public async Task First_execution_stores_status_headers_and_body_and_the_retry_returns_them_with_Idempotent_Replayed()
    {
        await using var api = await StartAsync();

        var first = await api.Client.SendAsync(PostReferral());
        var retry = await api.Client.SendAsync(PostReferral());

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Null(first.Header("Idempotent-Replayed"));
        Assert.Equal(HttpStatusCode.Created, retry.StatusCode);
        Assert.Equal("true", retry.Header("Idempotent-Replayed"));
        Assert.Equal(await first.Content.ReadAsByteArrayAsync(), await retry.Content.ReadAsByteArrayAsync());
        Assert.StartsWith("ref_", first.Header("Tendral-Effect-Id"));
        Assert.Equal(first.Header("Tendral-Effect-Id"), retry.Header("Tendral-Effect-Id"));
        Assert.Equal(first.Headers.ETag, retry.Headers.ETag);
        Assert.Equal(first.Headers.Location, retry.Headers.Location);
        Assert.Equal(first.Content.Headers.ContentType, retry.Content.Headers.ContentType);
        // Headers outside StoredResponseHeaders are sent the first time only.
        Assert.Equal("api-1", first.Header("X-Served-By"));
        Assert.Null(retry.Header("X-Served-By"));
        Assert.Equal(1, SeedApi.Probe(api).Runs);
        Assert.Equal(1, await SeedApi.RowsAsync(api));
    }

    [SkippableFact]
    public async Task Same_key_with_a_different_body_is_409_IDEMPOTENCY_KEY_REUSED_of_type_idempotency_error_and_the_effect_stays()
    {
        await using var api = await StartAsync();
        var first = await api.Client.SendAsync(PostReferral());

        var reused = await api.Client.SendAsync(PostReferral(body: """{"field": "other"}"""));

        Assert.Equal(HttpStatusCode.Conflict, reused.StatusCode);
        var error = (await reused.JsonAsync()).GetProperty("error");
        SeedApi.AssertMembers(error, "code", "message", "type");
        Assert.Equal("IDEMPOTENCY_KEY_REUSED", error.GetProperty("code").GetString());
        Assert.Equal("idempotency_error", error.GetProperty("type").GetString());

        var original = await api.Client.SendAsync(PostReferral());
        Assert.Equal("true", original.Header("Idempotent-Replayed"));
        Assert.Equal(first.Header("Tendral-Effect-Id"), original.Header("Tendral-Effect-Id"));
        Assert.Equal(1, await SeedApi.RowsAsync(api));
    }

    [SkippableFact]
    public async Task Keys_are_scoped_per_api_token()
    {
        await using var api = await StartAsync();

        var alpha = await api.Client.SendAsync(PostReferral());
        var beta = await api.Client.SendAsync(PostReferral(token: "tk_live_beta"));
        var betaRetry = await api.Client.SendAsync(PostReferral(token: "tk_live_beta"));

        Assert.Null(beta.Header("Idempotent-Replayed"));
        Assert.NotEqual(alpha.Header("Tendral-Effect-Id"), beta.Header("Tendral-Effect-Id"));
        Assert.Equal("true", betaRetry.Header("Idempotent-Replayed"));
        Assert.Equal(beta.Header("Tendral-Effect-Id"), betaRetry.Header("Tendral-Effect-Id"));
        Assert.Equal(2, SeedApi.Probe(api).Runs);
        var tenants = (await api.OperationsAsync()).Select(o => o.TenantId).ToArray();
        Assert.Equal(2, tenants.Distinct().Count());
        // The scope is the token's hash: the token itself is never stored.
        Assert.All(tenants, tenant => Assert.DoesNotContain("tk_live", tenant, StringComparison.Ordinal));
    }

    [SkippableFact]
    public async Task After_24_hours_the_same_key_and_body_create_a_new_effect()
    {
        await using var api = await StartAsync();
        var first = await api.Client.SendAsync(PostReferral());

        api.FakeTime.Advance(TimeSpan.FromHours(24) - TimeSpan.FromSeconds(1));
        var inside = await api.Client.SendAsync(PostReferral());
        api.FakeTime.Advance(TimeSpan.FromSeconds(1));
        var after = await api.Client.SendAsync(PostReferral());

        Assert.Equal("true", inside.Header("Idempotent-Replayed"));
        Assert.Equal(HttpStatusCode.Created, after.StatusCode);
        Assert.Null(after.Header("Idempotent-Replayed"));
        Assert.NotEqual(first.Header("Tendral-Effect-Id"), after.Header("Tendral-Effect-Id"));
        Assert.Equal(2, await SeedApi.RowsAsync(api));
    }

    [SkippableFact]
    public async Task Fresh_key_creates_a_brand_new_effect()
    {
        await using var api = await StartAsync();

        var first = await api.Client.SendAsync(PostReferral());
        var fresh = await api.Client.SendAsync(PostReferral(key: Guid.NewGuid().ToString()));

        Assert.Null(fresh.Header("Idempotent-Replayed"));
        Assert.NotEqual(first.Header("Tendral-Effect-Id"), fresh.Header("Tendral-Effect-Id"));
        Assert.Equal(2, await SeedApi.RowsAsync(api));
    }

    [SkippableFact]
    public async Task Key_may_be_a_uuid_or_an_opaque_string_of_1_to_255_characters()
    {
        await using var api = await StartAsync();

        var shortest = await api.Client.SendAsync(PostReferral(key: "k"));
        var longest = await api.Client.SendAsync(PostReferral(key: new string('z', 255)));
        var tooLong = await api.Client.SendAsync(PostReferral(key: new string('z', 256)));

        Assert.Equal(HttpStatusCode.Created, shortest.StatusCode);
        Assert.Equal(HttpStatusCode.Created, longest.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, tooLong.StatusCode);
        Assert.Equal("invalid_idempotency_key", (await tooLong.ErrorAsync()).Code);
        Assert.Equal(2, await SeedApi.RowsAsync(api));
    }

    // Tendral keys on (api_key_id, key) alone: with ScopeKeysByEndpoint off, one key sent to another endpoint of the
    // policy is a reuse with another request, and the first endpoint's response still replays.
    [SkippableFact]
    public async Task Same_key_on_another_endpoint_under_one_token_is_a_reuse()
    {
        await using var api = await StartAsync();

        var first = await api.Client.SendAsync(PostReferral());
        var otherEndpoint = await api.Client.SendAsync(PostReferral(path: "/v1/partners/acme/messages"));
        var retry = await api.Client.SendAsync(PostReferral());

        Assert.Equal(HttpStatusCode.Conflict, otherEndpoint.StatusCode);
        var error = (await otherEndpoint.JsonAsync()).GetProperty("error");
        Assert.Equal("IDEMPOTENCY_KEY_REUSED", error.GetProperty("code").GetString());
        Assert.Equal("idempotency_error", error.GetProperty("type").GetString());
        Assert.Equal("true", retry.Header("Idempotent-Replayed"));
        Assert.Equal(await first.Content.ReadAsStringAsync(), await retry.Content.ReadAsStringAsync());
        Assert.Equal(1, SeedApi.Probe(api).Runs);
    }

    // docs/seed-apis.md, Tendral: its code and error type for a reused key, and the effect's own header kept for replays.
    private static void Configure(IdempotencyOptions options)
    {
        options.StoredResponseHeaders.Add("Tendral-Effect-Id");
        options.AddPolicy("tendral", policy =>
        {
            policy.ScopeKeysByEndpoint = false;
            policy.MapError = error => error.Code == InboxErrorCodes.IdempotencyKeyMismatchedBody
                ? error with { Code = "IDEMPOTENCY_KEY_REUSED", Type = "idempotency_error" }
                : error;
        });
    }

    private static void Services(IServiceCollection services) => services.AddSingleton<ITenantResolver, ApiTokenTenantResolver>();

    private static void Map(WebApplication app)
    {
        var partners = app.MapGroup("/v1/partners/{partnerId}").WithIdempotency(IdempotencyMode.Transactional, "tendral");
        partners.MapPost("/referrals", (string partnerId, HttpContext context, TestDbContext db, HandlerProbe probe) =>
            CreateEffectAsync("ref_", $"/v1/partners/{partnerId}/referrals", context, db, probe));
        partners.MapPost("/messages", (string partnerId, HttpContext context, TestDbContext db, HandlerProbe probe) =>
            CreateEffectAsync("msg_", $"/v1/partners/{partnerId}/messages", context, db, probe));
    }

    private static async Task<IResult> CreateEffectAsync(string prefix, string path, HttpContext context, TestDbContext db, HandlerProbe probe)
    {
        probe.Ran();
        var effect = new TestPatient { Id = prefix + Guid.NewGuid().ToString("N"), Name = path };
        db.Patients.Add(effect);
        await db.SaveChangesAsync();
        context.Response.Headers["Tendral-Effect-Id"] = effect.Id;
        context.Response.Headers.ETag = $"\"{effect.Id}\"";
        context.Response.Headers["X-Served-By"] = "api-1";
        return Results.Created($"{path}/{effect.Id}", new { id = effect.Id, status = "created" });
    }

    private static HttpRequestMessage PostReferral(
        string path = "/v1/partners/acme/referrals", string body = Referral, string key = Key, string token = Token) =>
        SeedApi.Request(HttpMethod.Post, path, body, key, token: token);

    private Task<TestApi> StartAsync() => SeedApi.StartAsync(Kind, Map, Configure, Services);
}

public sealed class PostgresTendralProfileTests : TendralProfileTests
{
    protected override DatabaseKind Kind => DatabaseKind.PostgreSql;
}

public sealed class SqliteTendralProfileTests : TendralProfileTests
{
    protected override DatabaseKind Kind => DatabaseKind.Sqlite;
}

public sealed class SqlServerTendralProfileTests : TendralProfileTests
{
    protected override DatabaseKind Kind => DatabaseKind.SqlServer;
}
