using System.Net;
using System.Text.Json;
using Inbox.AspNetCore.Tests.Support;
using Inbox.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Inbox.AspNetCore.Tests.Seeds;

/// <summary>
/// The quickstart seed (quickstart-idempotency-keys.txt) configured as docs/seed-apis.md shows, over Kestrel against
/// each provider: the same key returns the stored result, another submission under it is 409, and keys are scoped per
/// endpoint and per user.
/// </summary>
public abstract class QuickstartProfileTests
{
    private const string Enquiry = """{"subject": "Opening hours", "email": "sam@example.com"}""";
    private const string Key = "3b241101-e2bb-4255-8caf-4136c566a962";

    protected abstract DatabaseKind Kind { get; }

    [SkippableFact]
    public async Task Retry_with_the_same_key_returns_the_stored_result_and_creates_no_second_enquiry()
    {
        await using var api = await StartAsync();

        var first = await api.Client.SendAsync(Http.Post("/enquiries", Enquiry, Key, tenant: "sam"));
        var retry = await api.Client.SendAsync(Http.Post("/enquiries", Enquiry, Key, tenant: "sam"));

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.Created, retry.StatusCode);
        Assert.Equal("true", retry.Header("Idempotent-Replayed"));
        Assert.Equal(await first.Content.ReadAsByteArrayAsync(), await retry.Content.ReadAsByteArrayAsync());
        Assert.Equal(1, await SeedApi.RowsAsync(api));
    }

    [SkippableFact]
    public async Task Same_key_with_other_data_is_409_and_the_first_enquiry_stays()
    {
        await using var api = await StartAsync();
        await api.Client.SendAsync(Http.Post("/enquiries", Enquiry, Key, tenant: "sam"));

        var other = await api.Client.SendAsync(Http.Post("/enquiries", """{"subject": "Parking", "email": "sam@example.com"}""", Key, tenant: "sam"));

        Assert.Equal(HttpStatusCode.Conflict, other.StatusCode);
        Assert.Equal("idempotency_key_mismatched_body", (await other.ErrorAsync()).Code);
        Assert.Equal(1, SeedApi.Probe(api).Runs);
        Assert.Equal(1, await SeedApi.RowsAsync(api));
    }

    [SkippableFact]
    public async Task Keys_are_scoped_per_endpoint_and_never_shared_between_users()
    {
        await using var api = await StartAsync();

        var enquiry = await api.Client.SendAsync(Http.Post("/enquiries", Enquiry, Key, tenant: "sam"));
        var consent = await api.Client.SendAsync(Http.Post("/consents", """{"email": "sam@example.com", "granted": true}""", Key, tenant: "sam"));
        var otherUser = await api.Client.SendAsync(Http.Post("/enquiries", Enquiry, Key, tenant: "alex"));

        Assert.All([enquiry, consent, otherUser], response =>
        {
            Assert.Equal(HttpStatusCode.Created, response.StatusCode);
            Assert.Null(response.Header("Idempotent-Replayed"));
        });
        Assert.NotEqual(enquiry.Headers.Location, otherUser.Headers.Location);
        Assert.Equal(3, await SeedApi.RowsAsync(api));
    }

    // docs/seed-apis.md, the quickstart: Inbox's defaults; each user is a tenant of the default resolver.
    private static void Map(WebApplication app)
    {
        app.MapPost("/enquiries", (JsonElement body, HttpContext context, TestDbContext db, HandlerProbe probe) =>
            SubmitAsync("enq_", "/enquiries", body.GetProperty("subject").GetString()!, context, db, probe))
            .WithIdempotency(IdempotencyMode.Transactional);
        app.MapPost("/consents", (JsonElement body, HttpContext context, TestDbContext db, HandlerProbe probe) =>
            SubmitAsync("con_", "/consents", body.GetProperty("email").GetString()!, context, db, probe))
            .WithIdempotency(IdempotencyMode.Transactional);
    }

    private static async Task<IResult> SubmitAsync(string prefix, string path, string name, HttpContext context, TestDbContext db, HandlerProbe probe)
    {
        probe.Ran();
        var record = new TestPatient { Id = prefix + Guid.NewGuid().ToString("N"), Name = name };
        db.Patients.Add(record);
        await db.SaveChangesAsync();
        return Results.Created($"{path}/{record.Id}", SeedApi.Envelope(context, new { id = record.Id }));
    }

    private Task<TestApi> StartAsync() => SeedApi.StartAsync(Kind, Map);
}

public sealed class PostgresQuickstartProfileTests : QuickstartProfileTests
{
    protected override DatabaseKind Kind => DatabaseKind.PostgreSql;
}

public sealed class SqliteQuickstartProfileTests : QuickstartProfileTests
{
    protected override DatabaseKind Kind => DatabaseKind.Sqlite;
}

public sealed class SqlServerQuickstartProfileTests : QuickstartProfileTests
{
    protected override DatabaseKind Kind => DatabaseKind.SqlServer;
}
