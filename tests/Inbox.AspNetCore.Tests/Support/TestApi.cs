using Inbox.Background;
using Inbox.EntityFrameworkCore;
using Inbox.EntityFrameworkCore.Model;
using Inbox.Publishing;
using Inbox.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace Inbox.AspNetCore.Tests.Support;

/// <summary>
/// A real ASP.NET Core application (in-memory server, or Kestrel on a loopback port) over a real database:
/// opted-in claim endpoints with validation, a secured endpoint, an endpoint that is not opted in, and the status endpoint.
/// </summary>
public sealed class TestApi : IAsyncDisposable
{
    private readonly WebApplication _app;
    private bool _stopped;

    private TestApi(WebApplication app, TestDatabase database, RecordingPublisher publisher, TimeProvider time, Uri? address)
    {
        _app = app;
        Database = database;
        Publisher = publisher;
        Time = time;
        Address = address;
        Client = address is null ? app.GetTestClient() : new HttpClient { BaseAddress = address };
    }

    public HttpClient Client { get; }

    /// <summary>Kestrel's address, when the API listens on a real socket.</summary>
    public Uri? Address { get; }

    public TestDatabase Database { get; }

    public RecordingPublisher Publisher { get; }

    public TimeProvider Time { get; }

    public FakeTimeProvider FakeTime => Time as FakeTimeProvider
        ?? throw new InvalidOperationException("This API runs on the system clock.");

    public IServiceProvider Services => _app.Services;

    public static async Task<TestApi> StartAsync(
        TestDatabase database,
        Action<IdempotencyOptions>? configure = null,
        Action<InboxStoreOptions>? configureStore = null,
        TimeProvider? time = null,
        Action<IServiceCollection>? services = null,
        Action<DbContextOptionsBuilder>? useDatabase = null,
        bool kestrel = false,
        Action<WebApplication>? endpoints = null)
    {
        time ??= new FakeTimeProvider(new DateTimeOffset(2026, 11, 23, 9, 0, 0, TimeSpan.Zero));
        await database.CreateSchemaAsync<TestDbContext>(options => new TestDbContext(options));

        var builder = WebApplication.CreateBuilder();
        if (kestrel)
        {
            builder.WebHost.UseKestrel().UseUrls("http://127.0.0.1:0");
        }
        else
        {
            builder.WebHost.UseTestServer();
        }

        builder.Logging.ClearProviders();
        builder.Services.AddSingleton(time);
        builder.Services.AddDbContext<TestDbContext>(options =>
        {
            if (useDatabase is null)
            {
                database.Configure(options);
            }
            else
            {
                useDatabase(options);
            }
        });
        builder.Services
            .AddIdempotency(options =>
            {
                // The contract tests read what was published as soon as the 202 arrives; AcceptancePublisherTests cover the
                // default, AfterResponse.
                options.PublishTiming = PublishTiming.BeforeResponse;
                options.AddPolicy("uuid", policy => policy.RequireUuid = true);
                options.AddPolicy("required", policy => policy.RequireKey = true);
                options.AddPolicy("short", policy => policy.Retention = TimeSpan.FromHours(1));
                configure?.Invoke(options);
            })
            .UseEntityFrameworkCore<TestDbContext>(store =>
            {
                store.EnableRelay = false;
                store.EnableSweeper = false;
                configureStore?.Invoke(store);
            });
        var publisher = new RecordingPublisher();
        builder.Services.AddSingleton(publisher);
        builder.Services.AddSingleton<IOperationPublisher>(publisher);
        builder.Services.AddAuthentication(TestTenantAuthentication.SchemeName)
            .AddScheme<Microsoft.AspNetCore.Authentication.AuthenticationSchemeOptions, TestTenantAuthentication>(TestTenantAuthentication.SchemeName, null);
        builder.Services.AddAuthorization();
        builder.Services.AddControllers().AddApplicationPart(typeof(ClaimsController).Assembly);
        services?.Invoke(builder.Services);

        var app = builder.Build();
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseIdempotency();

        app.MapPost("/claims", SubmitClaimHandler).WithIdempotency();
        app.MapPost("/other-claims", SubmitClaimHandler).WithIdempotency();
        app.MapPost("/uuid-claims", SubmitClaimHandler).WithIdempotency("uuid");
        app.MapPost("/required-claims", SubmitClaimHandler).WithIdempotency("required");
        app.MapPost("/short-claims", SubmitClaimHandler).WithIdempotency("short");
        app.MapMethods("/put-claims", ["PUT", "PATCH"], SubmitClaimHandler).WithIdempotency();
        app.MapPost("/secure-claims", SubmitClaimHandler).WithIdempotency().RequireAuthorization();
        app.MapPost("/raw", (HttpRequest request) => InboxResults.Accept(new SubmitClaim("raw", 1))).WithIdempotency();
        app.MapMethods("/mixed", ["GET", "HEAD", "DELETE"], () => Results.Ok("untouched")).WithIdempotency();
        app.MapPost("/plain", () => Results.Ok("untouched"));
        app.MapControllers();
        app.MapOperationStatus("/operations/{id}");

        try
        {
            endpoints?.Invoke(app);
            await app.StartAsync();
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }

        var address = kestrel ? new Uri(app.Urls.Single()) : null;
        return new TestApi(app, database, publisher, time, address);
    }

    private static IResult SubmitClaimHandler(ClaimRequest request) =>
        string.IsNullOrEmpty(request.PatientId) || request.AmountCents <= 0
            ? Results.BadRequest(new { error = new { code = "invalid_request", message = "patient_id and a positive amount_cents are required." } })
            : InboxResults.Accept(new SubmitClaim(request.PatientId, request.AmountCents));

    /// <summary>Sends a request built directly on the server's HttpContext, for headers HttpClient will not send.</summary>
    public Task<HttpContext> SendRawAsync(Action<HttpContext> configure) => _app.GetTestServer().SendAsync(configure);

    public TestDbContext CreateDbContext() =>
        new((DbContextOptions<TestDbContext>)Database.Configure(new DbContextOptionsBuilder<TestDbContext>()).Options);

    public async Task<List<InboxOperation>> OperationsAsync()
    {
        await using var db = CreateDbContext();
        return await db.Set<InboxOperation>().AsNoTracking().ToListAsync();
    }

    /// <summary>Stops the application and disposes its services, as at shutdown; the database stays until disposal.</summary>
    public async Task StopAsync()
    {
        if (_stopped)
        {
            return;
        }

        _stopped = true;
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    public async ValueTask DisposeAsync()
    {
        if (Address is not null)
        {
            Client.Dispose();
        }

        await StopAsync();
        await Database.DisposeAsync();
    }
}
