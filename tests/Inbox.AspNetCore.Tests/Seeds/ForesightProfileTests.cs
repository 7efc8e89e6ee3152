using System.Net;
using System.Text.Json;
using Inbox.AspNetCore.Tests.Support;
using Inbox.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Inbox.AspNetCore.Tests.Seeds;

/// <summary>
/// The Foresight RCM seed (foresight-rcm-idempotency.txt) configured as docs/seed-apis.md shows, over Kestrel against
/// each provider: Inbox's default codes, the first response replayed with its request id, PATCH, DELETE ignoring the
/// header, the 255-character limit, 24 hours, and the cached eligibility answer of a leased endpoint.
/// </summary>
public abstract class ForesightProfileTests
{
    private const string Claim = """{"patient_id": "pat_123", "amount_cents": 12500}""";
    private const string Eligibility = """{"patient_id": "pat_123", "payer_id": "payer_acme", "member_id": "M123"}""";
    private const string Key = "550e8400-e29b-41d4-a716-446655440000";

    protected abstract DatabaseKind Kind { get; }

    [SkippableFact]
    public async Task Replay_has_the_same_status_body_and_request_id_and_runs_nothing_again()
    {
        await using var api = await StartAsync();

        var first = await api.Client.SendAsync(Http.Post("/v1/claims", Claim, Key));
        var retry = await api.Client.SendAsync(Http.Post("/v1/claims", Claim, Key));

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.Created, retry.StatusCode);
        Assert.Equal("true", retry.Header("Idempotent-Replayed"));
        Assert.Equal(await first.Content.ReadAsByteArrayAsync(), await retry.Content.ReadAsByteArrayAsync());
        var requestId = SeedApi.RequestId(await first.JsonAsync());
        Assert.StartsWith("req_", requestId);
        Assert.Equal(requestId, SeedApi.RequestId(await retry.JsonAsync()));
        Assert.Equal(1, SeedApi.Probe(api).Runs);
        Assert.Equal(1, await SeedApi.RowsAsync(api));
    }

    [SkippableFact]
    public async Task Reused_key_with_a_different_body_is_409_idempotency_key_mismatched_body()
    {
        await using var api = await StartAsync();
        await api.Client.SendAsync(Http.Post("/v1/claims", Claim, Key));

        var other = await api.Client.SendAsync(Http.Post("/v1/claims", """{"patient_id": "pat_123", "amount_cents": 99}""", Key));

        Assert.Equal(HttpStatusCode.Conflict, other.StatusCode);
        Assert.Equal(
            ("idempotency_key_mismatched_body", "This idempotency key was already used with a different request body; use a new key for a new operation."),
            await other.ErrorAsync());
        Assert.Equal(1, SeedApi.Probe(api).Runs);
    }

    [SkippableFact]
    public async Task Simultaneous_request_is_409_idempotency_key_in_use_and_a_retry_after_the_first_completes_replays_it()
    {
        await using var api = await StartAsync();
        var probe = SeedApi.Probe(api);
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        probe.Gate = gate;

        var pending = api.Client.SendAsync(Http.Post("/v1/insurance-policies/validate", Eligibility, Key));
        await probe.AtGate.Task.WaitAsync(TimeSpan.FromSeconds(30));
        var simultaneous = await api.Client.SendAsync(Http.Post("/v1/insurance-policies/validate", Eligibility, Key));

        Assert.Equal(HttpStatusCode.Conflict, simultaneous.StatusCode);
        Assert.Equal("idempotency_key_in_use", (await simultaneous.ErrorAsync()).Code);
        // The lease (30 s) and the skew margin (2 s): when a crashed first request's key runs again.
        Assert.Equal("32", simultaneous.Header("Retry-After"));

        probe.Gate = null;
        gate.SetResult();
        var first = await pending;
        var retry = await api.Client.SendAsync(Http.Post("/v1/insurance-policies/validate", Eligibility, Key));

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal("true", retry.Header("Idempotent-Replayed"));
        Assert.Equal(await first.Content.ReadAsByteArrayAsync(), await retry.Content.ReadAsByteArrayAsync());
        Assert.Single(probe.DownstreamKeys);
    }

    [SkippableFact]
    public async Task Cached_eligibility_response_is_replayed_and_the_payer_is_called_once()
    {
        await using var api = await StartAsync();

        var first = await api.Client.SendAsync(Http.Post("/v1/insurance-policies/validate", Eligibility, Key));
        api.FakeTime.Advance(TimeSpan.FromMinutes(5));
        var retry = await api.Client.SendAsync(Http.Post("/v1/insurance-policies/validate", Eligibility, Key));

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        var eligibility = (await first.JsonAsync()).GetProperty("data");
        Assert.True(eligibility.GetProperty("eligible").GetBoolean());
        Assert.Equal(HttpStatusCode.OK, retry.StatusCode);
        Assert.Equal("true", retry.Header("Idempotent-Replayed"));
        // The same checked_at: the answer of the first call, not a new check.
        Assert.Equal(await first.Content.ReadAsByteArrayAsync(), await retry.Content.ReadAsByteArrayAsync());
        Assert.Equal(1, SeedApi.Probe(api).Runs);
        Assert.Single(SeedApi.Probe(api).DownstreamKeys);
    }

    [SkippableFact]
    public async Task Patch_with_the_same_body_produces_the_same_final_state_once()
    {
        await using var api = await StartAsync();
        await SeedPatientAsync(api, "pat_1", "Sarah Johnson");
        await SeedPatientAsync(api, "pat_2", "Ann Lee");

        var first = await api.Client.SendAsync(Patch("pat_1", "Sarah Miller"));
        var retry = await api.Client.SendAsync(Patch("pat_1", "Sarah Miller"));
        var otherBody = await api.Client.SendAsync(Patch("pat_1", "Sarah Smith"));
        var otherPatient = await api.Client.SendAsync(Patch("pat_2", "Sarah Miller"));

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal("Sarah Miller", (await first.JsonAsync()).GetProperty("data").GetProperty("name").GetString());
        Assert.Equal("true", retry.Header("Idempotent-Replayed"));
        Assert.Equal(await first.Content.ReadAsByteArrayAsync(), await retry.Content.ReadAsByteArrayAsync());
        Assert.Equal("idempotency_key_mismatched_body", (await otherBody.ErrorAsync()).Code);
        // The route's id is part of the request: the same key for another patient is a reuse too.
        Assert.Equal("idempotency_key_mismatched_body", (await otherPatient.ErrorAsync()).Code);
        Assert.Equal(1, SeedApi.Probe(api).Runs);
        await using var db = api.CreateDbContext();
        Assert.Equal("Sarah Miller", (await db.Patients.FindAsync("pat_1"))!.Name);
        Assert.Equal("Ann Lee", (await db.Patients.FindAsync("pat_2"))!.Name);
    }

    [SkippableTheory]
    [InlineData(Key)]
    [InlineData("not a valid key")]
    public async Task Delete_accepts_the_header_and_ignores_it(string key)
    {
        await using var api = await StartAsync();
        await SeedPatientAsync(api, "pat_1", "Sarah Johnson");

        var first = await api.Client.SendAsync(SeedApi.Request(HttpMethod.Delete, "/v1/patients/pat_1", json: null, key));
        var again = await api.Client.SendAsync(SeedApi.Request(HttpMethod.Delete, "/v1/patients/pat_1", json: null, key));

        Assert.Equal(HttpStatusCode.NoContent, first.StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, again.StatusCode);
        Assert.Null(again.Header("Idempotent-Replayed"));
        Assert.Equal(2, SeedApi.Probe(api).Runs);
        Assert.Empty(await api.OperationsAsync());
        Assert.Equal(0, await SeedApi.RowsAsync(api));
    }

    [SkippableFact]
    public async Task Key_of_255_characters_is_accepted_and_one_of_256_is_400_invalid_idempotency_key()
    {
        await using var api = await StartAsync();

        var longest = await api.Client.SendAsync(Http.Post("/v1/claims", Claim, new string('k', 255)));
        var tooLong = await api.Client.SendAsync(Http.Post("/v1/claims", Claim, new string('k', 256)));

        Assert.Equal(HttpStatusCode.Created, longest.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, tooLong.StatusCode);
        Assert.Equal(
            ("invalid_idempotency_key", "The Idempotency-Key header must be at most 255 characters long."),
            await tooLong.ErrorAsync());
        Assert.Equal(new string('k', 255), Assert.Single(await api.OperationsAsync()).IdempotencyKey);
        Assert.Equal(1, SeedApi.Probe(api).Runs);
    }

    [SkippableFact]
    public async Task Key_reused_after_24_hours_executes_the_request_fresh()
    {
        await using var api = await StartAsync();
        var first = await api.Client.SendAsync(Http.Post("/v1/claims", Claim, Key));

        api.FakeTime.Advance(TimeSpan.FromHours(24) - TimeSpan.FromSeconds(1));
        var inside = await api.Client.SendAsync(Http.Post("/v1/claims", Claim, Key));
        api.FakeTime.Advance(TimeSpan.FromSeconds(1));
        var after = await api.Client.SendAsync(Http.Post("/v1/claims", Claim, Key));

        Assert.Equal("true", inside.Header("Idempotent-Replayed"));
        Assert.Equal(HttpStatusCode.Created, after.StatusCode);
        Assert.Null(after.Header("Idempotent-Replayed"));
        Assert.NotEqual(SeedApi.RequestId(await first.JsonAsync()), SeedApi.RequestId(await after.JsonAsync()));
        Assert.Equal(2, SeedApi.Probe(api).Runs);
        Assert.Equal(2, await SeedApi.RowsAsync(api));
    }

    // docs/seed-apis.md, Foresight: Inbox's defaults are the seed's codes, key limit and 24 hours; no options to set.
    private static void Map(WebApplication app)
    {
        var v1 = app.MapGroup("/v1");
        v1.MapPost("/claims", async (JsonElement body, HttpContext context, TestDbContext db, HandlerProbe probe) =>
        {
            probe.Ran();
            var claim = new TestPatient { Id = "clm_" + Guid.NewGuid().ToString("N"), Name = body.GetProperty("patient_id").GetString()! };
            db.Patients.Add(claim);
            await db.SaveChangesAsync();
            return Results.Created($"/v1/claims/{claim.Id}", SeedApi.Envelope(context, new { id = claim.Id, status = "submitted" }));
        }).WithIdempotency(IdempotencyMode.Transactional);

        v1.MapPatch("/patients/{id}", async (string id, JsonElement body, HttpContext context, TestDbContext db, HandlerProbe probe) =>
        {
            probe.Ran();
            if (await db.Patients.FindAsync(id) is not { } patient)
            {
                return Results.NotFound();
            }

            patient.Name = body.GetProperty("name").GetString()!;
            await db.SaveChangesAsync();
            return Results.Ok(SeedApi.Envelope(context, new { id, name = patient.Name }));
        }).WithIdempotency(IdempotencyMode.Transactional);

        // Opted in like every other route, yet DELETE ignores the header: deleting twice is a no-op 204.
        v1.MapDelete("/patients/{id}", async (string id, TestDbContext db, HandlerProbe probe) =>
        {
            probe.Ran();
            if (await db.Patients.FindAsync(id) is { } patient)
            {
                db.Patients.Remove(patient);
                await db.SaveChangesAsync();
            }

            return Results.NoContent();
        }).WithIdempotency(IdempotencyMode.Transactional);

        // Leased: the handler calls the payer (here: records the call with the key a real payer would get).
        v1.MapPost("/insurance-policies/validate", async (HttpContext context, TimeProvider time, HandlerProbe probe) =>
        {
            probe.Ran();
            probe.DownstreamKeys.Enqueue(context.GetDownstreamKey("payer"));
            await probe.PassGateAsync();
            return Results.Ok(SeedApi.Envelope(context, new { eligible = true, plan = "PPO Gold", checked_at = time.GetUtcNow() }));
        }).WithIdempotency(IdempotencyMode.Leased);
    }

    private static async Task SeedPatientAsync(TestApi api, string id, string name)
    {
        await using var db = api.CreateDbContext();
        db.Patients.Add(new TestPatient { Id = id, Name = name });
        await db.SaveChangesAsync();
    }

    private static HttpRequestMessage Patch(string id, string name) =>
        SeedApi.Request(HttpMethod.Patch, $"/v1/patients/{id}", JsonSerializer.Serialize(new { name }), Key);

    private Task<TestApi> StartAsync() => SeedApi.StartAsync(Kind, Map);
}

public sealed class PostgresForesightProfileTests : ForesightProfileTests
{
    protected override DatabaseKind Kind => DatabaseKind.PostgreSql;
}

public sealed class SqliteForesightProfileTests : ForesightProfileTests
{
    protected override DatabaseKind Kind => DatabaseKind.Sqlite;
}

public sealed class SqlServerForesightProfileTests : ForesightProfileTests
{
    protected override DatabaseKind Kind => DatabaseKind.SqlServer;
}
