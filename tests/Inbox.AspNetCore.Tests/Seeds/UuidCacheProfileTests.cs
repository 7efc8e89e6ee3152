using System.Net;
using System.Text.Json;
using Inbox.AspNetCore.Tests.Support;
using Inbox.Keys;
using Inbox.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Inbox.AspNetCore.Tests.Seeds;

/// <summary>
/// The UUID-cache seed (downstream-entities-idempotency.txt) configured as docs/seed-apis.md shows, over Kestrel
/// against each provider: UUID keys under <c>idempotency-key</c> or <c>x-idempotency-key</c>, its exact 400 message,
/// a one-hour TTL, and requests without a key processed normally.
/// </summary>
public abstract class UuidCacheProfileTests
{
    private const string Invite = """{"email": "user@example.com", "entityName": "Example Corp"}""";
    private const string InvitePath = "/downstream-entities/onboarding/invite";
    private const string Add = "/downstream-entities/onboarding/add";
    private const string Key = "550e8400-e29b-41d4-a716-446655440000";
    private const string InvalidUuidMessage = "Invalid idempotency key format. The idempotency-key must be a valid UUID";

    protected abstract DatabaseKind Kind { get; }

    [SkippableTheory]
    [InlineData(InvitePath)]
    [InlineData(Add)]
    public async Task Duplicate_request_within_the_hour_returns_the_cached_response_without_processing_again(string path)
    {
        await using var api = await StartAsync();

        var first = await api.Client.SendAsync(Post(path));
        api.FakeTime.Advance(TimeSpan.FromHours(1) - TimeSpan.FromSeconds(1));
        var duplicate = await api.Client.SendAsync(Post(path));

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, duplicate.StatusCode);
        Assert.Equal("true", duplicate.Header("Idempotent-Replayed"));
        Assert.Equal(await first.Content.ReadAsByteArrayAsync(), await duplicate.Content.ReadAsByteArrayAsync());
        Assert.Equal(1, SeedApi.Probe(api).Runs);
    }

    [SkippableFact]
    public async Task After_the_one_hour_ttl_the_key_processes_as_a_new_request()
    {
        await using var api = await StartAsync();
        var first = await api.Client.SendAsync(Post(Add));

        api.FakeTime.Advance(TimeSpan.FromHours(1));
        var after = await api.Client.SendAsync(Post(Add));

        Assert.Equal(HttpStatusCode.OK, after.StatusCode);
        Assert.Null(after.Header("Idempotent-Replayed"));
        Assert.NotEqual(await first.Content.ReadAsStringAsync(), await after.Content.ReadAsStringAsync());
        Assert.Equal(2, SeedApi.Probe(api).Runs);
        Assert.Equal(2, await SeedApi.RowsAsync(api));
    }

    [SkippableFact]
    public async Task Idempotency_key_and_x_idempotency_key_carry_one_key()
    {
        await using var api = await StartAsync();

        var first = await api.Client.SendAsync(Post(Add));
        var retry = await api.Client.SendAsync(Post(Add, header: "x-idempotency-key"));

        Assert.Equal("true", retry.Header("Idempotent-Replayed"));
        Assert.Equal(await first.Content.ReadAsByteArrayAsync(), await retry.Content.ReadAsByteArrayAsync());
        Assert.Equal(1, await SeedApi.RowsAsync(api));
    }

    [SkippableTheory]
    [InlineData("idempotency-key", "order-1")]
    [InlineData("x-idempotency-key", "order-1")]
    [InlineData("idempotency-key", "550e8400e29b41d4a716446655440000")]
    [InlineData("idempotency-key", "{550e8400-e29b-41d4-a716-446655440000}")]
    public async Task Key_that_is_not_a_uuid_is_400_with_the_seeds_message_and_nothing_is_processed(string header, string key)
    {
        await using var api = await StartAsync();

        var response = await api.Client.SendAsync(Post(InvitePath, key, header));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(("invalid_idempotency_key", InvalidUuidMessage), await response.ErrorAsync());
        Assert.Equal(0, SeedApi.Probe(api).Runs);
        Assert.Empty(await api.OperationsAsync());
    }

    [SkippableFact]
    public async Task Other_key_rules_keep_inbox_s_own_message()
    {
        await using var api = await StartAsync();

        var response = await api.Client.SendAsync(Post(InvitePath, new string('a', 256)));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(("invalid_idempotency_key", "The Idempotency-Key header must be at most 255 characters long."), await response.ErrorAsync());
    }

    [SkippableFact]
    public async Task Request_without_a_key_processes_normally_every_time()
    {
        await using var api = await StartAsync();

        var first = await api.Client.SendAsync(Post(Add, key: null));
        var second = await api.Client.SendAsync(Post(Add, key: null));

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        Assert.Null(second.Header("Idempotent-Replayed"));
        Assert.Equal(2, SeedApi.Probe(api).Runs);
        Assert.Equal(2, await SeedApi.RowsAsync(api));
    }

    // docs/seed-apis.md, the UUID-cache API: UUID keys kept one hour, and the seed's message for a key that is not one.
    private static void Configure(IdempotencyOptions options) =>
        options.AddPolicy("uuid-cache", policy =>
        {
            policy.RequireUuid = true;
            policy.Retention = TimeSpan.FromHours(1);
            policy.MapError = error => error.KeyRule == IdempotencyKeyError.NotUuid ? error with { Message = InvalidUuidMessage } : error;
        });

    private static void Map(WebApplication app)
    {
        var onboarding = app.MapGroup("/downstream-entities/onboarding");

        // Sending an invitation calls out: leased, with a key the mailer deduplicates on.
        onboarding.MapPost("/invite", (JsonElement body, HttpContext context, HandlerProbe probe) =>
        {
            probe.Ran();
            probe.DownstreamKeys.Enqueue(context.GetDownstreamKey("invitation-email"));
            return Results.Ok(SeedApi.Envelope(context, new { invitation_id = "inv_" + Guid.NewGuid().ToString("N"), email = body.GetProperty("email").GetString() }));
        }).WithIdempotency(IdempotencyMode.Leased, "uuid-cache");

        // Adding an entity is a write through the application's DbContext: transactional.
        onboarding.MapPost("/add", async (JsonElement body, HttpContext context, TestDbContext db, HandlerProbe probe) =>
        {
            probe.Ran();
            var entity = new TestPatient { Id = "ent_" + Guid.NewGuid().ToString("N"), Name = body.GetProperty("entityName").GetString()! };
            db.Patients.Add(entity);
            await db.SaveChangesAsync();
            return Results.Ok(SeedApi.Envelope(context, new { id = entity.Id, entityName = entity.Name }));
        }).WithIdempotency(IdempotencyMode.Transactional, "uuid-cache");
    }

    private static HttpRequestMessage Post(string path, string? key = Key, string header = "idempotency-key") =>
        SeedApi.Request(HttpMethod.Post, path, Invite, key, header);

    private Task<TestApi> StartAsync() => SeedApi.StartAsync(Kind, Map, Configure);
}

public sealed class PostgresUuidCacheProfileTests : UuidCacheProfileTests
{
    protected override DatabaseKind Kind => DatabaseKind.PostgreSql;
}

public sealed class SqliteUuidCacheProfileTests : UuidCacheProfileTests
{
    protected override DatabaseKind Kind => DatabaseKind.Sqlite;
}

public sealed class SqlServerUuidCacheProfileTests : UuidCacheProfileTests
{
    protected override DatabaseKind Kind => DatabaseKind.SqlServer;
}
