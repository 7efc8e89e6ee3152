using System.Net;
using System.Text.Json;
using Inbox.AspNetCore.Tests.Support;
using Inbox.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Inbox.AspNetCore.Tests.Seeds;

/// <summary>
/// The JumpEHR seed (jump-ehr-idempotency.txt) configured as docs/seed-apis.md shows, over Kestrel against each
/// provider: create endpoints answer 201 with the resource, a reused key with another body is 409 CONFLICT in the
/// seed's envelope, keys are scoped to (organisation, key, endpoint) and expire after 24 hours.
/// </summary>
public abstract class JumpEhrProfileTests
{
    private const string Sarah = """{"first_name": "Sarah", "last_name": "Johnson", "date_of_birth": "1985-03-15"}""";
    private const string Key = "550e8400-e29b-41d4-a716-446655440000";

    protected abstract DatabaseKind Kind { get; }

    [SkippableFact]
    public async Task Create_patient_answers_201_with_the_patient_and_the_retry_replays_it_without_a_second_patient()
    {
        await using var api = await StartAsync();

        var first = await api.Client.SendAsync(CreateSarah());
        var retry = await api.Client.SendAsync(CreateSarah());

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Null(first.Header("Idempotent-Replayed"));
        var json = await first.JsonAsync();
        SeedApi.AssertMembers(json, "data", "meta", "error");
        var patient = json.GetProperty("data");
        SeedApi.AssertMembers(patient, "id", "first_name", "last_name", "date_of_birth");
        Assert.Equal("Sarah", patient.GetProperty("first_name").GetString());
        Assert.Equal("1985-03-15", patient.GetProperty("date_of_birth").GetString());
        Assert.Equal(JsonValueKind.Null, json.GetProperty("error").ValueKind);
        Assert.Equal($"/api-v1/patients/{patient.GetProperty("id").GetString()}", first.Headers.Location?.OriginalString);

        Assert.Equal(HttpStatusCode.Created, retry.StatusCode);
        Assert.Equal("true", retry.Header("Idempotent-Replayed"));
        Assert.Equal(await first.Content.ReadAsByteArrayAsync(), await retry.Content.ReadAsByteArrayAsync());
        Assert.Equal(first.Headers.Location, retry.Headers.Location);
        Assert.Equal(1, SeedApi.Probe(api).Runs);
        Assert.Equal(1, await SeedApi.RowsAsync(api));
    }

    [SkippableFact]
    public async Task Same_key_with_a_different_body_is_409_CONFLICT_in_the_seed_envelope_and_the_patient_stays()
    {
        await using var api = await StartAsync();
        var first = await api.Client.SendAsync(CreateSarah());

        var other = await api.Client.SendAsync(Http.Post(
            "/api-v1/patients", """{"first_name": "Sara", "last_name": "Johnson", "date_of_birth": "1985-03-15"}""", Key, tenant: "org_a"));

        Assert.Equal(HttpStatusCode.Conflict, other.StatusCode);
        var json = await other.JsonAsync();
        SeedApi.AssertMembers(json, "data", "meta", "error");
        Assert.Equal(JsonValueKind.Null, json.GetProperty("data").ValueKind);
        Assert.StartsWith("req_", SeedApi.RequestId(json));
        var error = json.GetProperty("error");
        SeedApi.AssertMembers(error, "code", "message");
        Assert.Equal("CONFLICT", error.GetProperty("code").GetString());
        Assert.Equal("Idempotency key already used with a different request body", error.GetProperty("message").GetString());

        var retry = await api.Client.SendAsync(CreateSarah());
        Assert.Equal("true", retry.Header("Idempotent-Replayed"));
        Assert.Equal(await first.Content.ReadAsByteArrayAsync(), await retry.Content.ReadAsByteArrayAsync());
        Assert.Equal(1, await SeedApi.RowsAsync(api));
    }

    [SkippableFact]
    public async Task Key_is_scoped_to_organisation_key_and_endpoint()
    {
        await using var api = await StartAsync();

        var orgA = await api.Client.SendAsync(CreateSarah());
        var orgB = await api.Client.SendAsync(CreateSarah("org_b"));
        var otherEndpoint = await api.Client.SendAsync(Http.Post("/api-v1/appointments", """{"patient_id": "pat_1"}""", Key, tenant: "org_a"));

        Assert.All([orgA, orgB, otherEndpoint], response =>
        {
            Assert.Equal(HttpStatusCode.Created, response.StatusCode);
            Assert.Null(response.Header("Idempotent-Replayed"));
        });
        Assert.NotEqual(orgA.Headers.Location, orgB.Headers.Location);
        Assert.Equal(3, SeedApi.Probe(api).Runs);
        Assert.Equal(
            ["org_a POST /api-v1/appointments", "org_a POST /api-v1/patients", "org_b POST /api-v1/patients"],
            (await api.OperationsAsync()).Select(o => $"{o.TenantId} {o.Endpoint}").Order(StringComparer.Ordinal));

        var retryB = await api.Client.SendAsync(CreateSarah("org_b"));
        Assert.Equal("true", retryB.Header("Idempotent-Replayed"));
        Assert.Equal(orgB.Headers.Location, retryB.Headers.Location);
    }

    [SkippableFact]
    public async Task Key_expires_after_24_hours_and_then_creates_a_new_patient()
    {
        await using var api = await StartAsync();
        var first = await api.Client.SendAsync(CreateSarah());

        api.FakeTime.Advance(TimeSpan.FromHours(24) - TimeSpan.FromSeconds(1));
        var inside = await api.Client.SendAsync(CreateSarah());
        api.FakeTime.Advance(TimeSpan.FromSeconds(1));
        var after = await api.Client.SendAsync(CreateSarah());

        Assert.Equal("true", inside.Header("Idempotent-Replayed"));
        Assert.Equal(HttpStatusCode.Created, after.StatusCode);
        Assert.Null(after.Header("Idempotent-Replayed"));
        Assert.NotEqual(first.Headers.Location, after.Headers.Location);
        Assert.Equal(2, await SeedApi.RowsAsync(api));
    }

    [SkippableFact]
    public async Task Request_without_a_key_is_processed_without_deduplication()
    {
        await using var api = await StartAsync();

        var first = await api.Client.SendAsync(Http.Post("/api-v1/patients", Sarah, tenant: "org_a"));
        var second = await api.Client.SendAsync(Http.Post("/api-v1/patients", Sarah, tenant: "org_a"));

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.Created, second.StatusCode);
        Assert.NotEqual(first.Headers.Location, second.Headers.Location);
        Assert.Equal(2, await SeedApi.RowsAsync(api));
    }

    // docs/seed-apis.md, JumpEHR: the seed's code and message for a reused key; 24 hours is the default retention.
    private static void Configure(IdempotencyOptions options) =>
        options.AddPolicy("jumpehr", policy => policy.MapError = error => error.Code == InboxErrorCodes.IdempotencyKeyMismatchedBody
            ? error with { Code = "CONFLICT", Message = "Idempotency key already used with a different request body" }
            : error);

    private static void Map(WebApplication app)
    {
        var api = app.MapGroup("/api-v1").WithIdempotency(IdempotencyMode.Transactional, "jumpehr");
        api.MapPost("/patients", CreatePatientAsync);
        api.MapPost("/appointments", (HttpContext context, HandlerProbe probe) =>
        {
            probe.Ran();
            var id = "apt_" + Guid.NewGuid().ToString("N");
            return Results.Created($"/api-v1/appointments/{id}", SeedApi.Envelope(context, new { id }));
        });
    }

    private static async Task<IResult> CreatePatientAsync(JsonElement body, HttpContext context, TestDbContext db, HandlerProbe probe)
    {
        probe.Ran();
        var firstName = body.GetProperty("first_name").GetString()!;
        var lastName = body.GetProperty("last_name").GetString()!;
        var patient = new TestPatient { Id = "pat_" + Guid.NewGuid().ToString("N"), Name = $"{firstName} {lastName}" };
        db.Patients.Add(patient);
        await db.SaveChangesAsync();
        return Results.Created(
            $"/api-v1/patients/{patient.Id}",
            SeedApi.Envelope(context, new { id = patient.Id, first_name = firstName, last_name = lastName, date_of_birth = body.GetProperty("date_of_birth").GetString() }));
    }

    private static HttpRequestMessage CreateSarah(string organisation = "org_a") => Http.Post("/api-v1/patients", Sarah, Key, tenant: organisation);

    private Task<TestApi> StartAsync() => SeedApi.StartAsync(Kind, Map, Configure);
}

public sealed class PostgresJumpEhrProfileTests : JumpEhrProfileTests
{
    protected override DatabaseKind Kind => DatabaseKind.PostgreSql;
}

public sealed class SqliteJumpEhrProfileTests : JumpEhrProfileTests
{
    protected override DatabaseKind Kind => DatabaseKind.Sqlite;
}

public sealed class SqlServerJumpEhrProfileTests : JumpEhrProfileTests
{
    protected override DatabaseKind Kind => DatabaseKind.SqlServer;
}
