using Inbox.AspNetCore;
using Inbox.Samples.Api.Authentication;
using Inbox.Samples.Api.Endpoints;
using Inbox.Samples.Contracts;
using Inbox.Samples.Data;
using Inbox.Samples.Hosting;
using Inbox.Samples.Hosting.Simulator;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.OpenApi;
using Scalar.AspNetCore;

// With no configuration this is the embedded default: SQLite, the in-memory transport, the worker's consumers
// and the downstream simulator (under /downstream), all in this process. Configuration switches to RabbitMQ
// and PostgreSQL or SQL Server, with the worker and the simulator as their own processes (see the README).
// Settings come from beside the binary, so the app runs the same from any working directory.
var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
var configuration = builder.Configuration;
var embedded = SampleMessaging.TransportFrom(configuration) == SampleTransport.InMemory;
var runWorker = configuration.GetValue("Api:RunWorker", embedded);
var runSimulator = configuration.GetValue("Api:RunSimulator", embedded);

builder.Services.AddSampleDatabase(configuration);
builder.Services
    .AddIdempotency(options =>
    {
        options.MaxBodySize = configuration.GetValue("Api:MaxBodyBytes", 64 * 1024);
        options.DefaultPolicy.LeaseDuration = TimeSpan.FromSeconds(configuration.GetValue("Api:LeaseSeconds", 30));
        options.PublishTiming = configuration.GetValue("Api:PublishTiming", options.PublishTiming);
    })
    .UseSampleStore(configuration)
    .UseMassTransit();
builder.Services.AddAuthentication(ApiKeyAuthentication.SchemeName)
    .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthentication>(ApiKeyAuthentication.SchemeName, null)
    .AddScheme<AuthenticationSchemeOptions, OperatorAuthentication>(OperatorAuthentication.SchemeName, null);

// The operations console: operator keys (Basic, so a browser asks for one), the platform's also for every tenant.
builder.Services.AddAuthorization(options =>
{
    options.AddPolicy(OperatorAuthentication.ConsolePolicy, policy => policy
        .AddAuthenticationSchemes(OperatorAuthentication.SchemeName).RequireRole(OperatorAuthentication.OperatorRole));
    options.AddPolicy(OperatorAuthentication.AllTenantsPolicy, policy => policy
        .AddAuthenticationSchemes(OperatorAuthentication.SchemeName).RequireRole(OperatorAuthentication.PlatformOperatorRole));
});
builder.Services.AddSampleMessaging(configuration, consume: runWorker);
if (runSimulator)
{
    builder.Services.AddDownstreamSimulator(configuration);
}

// The library documents the key headers, Idempotent-Replayed and the contract's error answers on opted-in endpoints.
builder.Services.AddOpenApi(options => options.AddIdempotency());
builder.Services.AddSampleTelemetry(configuration, "inbox-samples-api");
builder.Services.AddInboxCounters(configuration);

var app = builder.Build();
await app.Services.PrepareSampleDatabaseAsync(configuration);

app.UseStatusCodePages(SampleStatusCodes.WriteAsync);
app.UseAuthentication();
app.UseAuthorization();
app.UseIdempotency();

app.MapOpenApi();
app.MapScalarApiReference();
app.MapSampleHealthChecks();
app.MapInboxCounters();

var v1 = app.MapGroup("/v1").RequireAuthorization();
v1.MapPost("/claims", ClaimsEndpoint.SubmitAsync)
    .WithIdempotency()
    .Publishes(typeof(SubmitClaim))   // checked at start-up: the relay republishes it from its stored JSON
    .Accepts<ClaimsEndpoint.ClaimRequest>("application/json")
    .Produces(StatusCodes.Status202Accepted)
    .Produces(StatusCodes.Status401Unauthorized)
    .WithSummary("Submit an insurance claim");
v1.MapPost("/webhook-events", WebhookEventsEndpoint.FireAsync)
    .WithIdempotency()
    .Publishes(typeof(FireWebhookEvent))
    .Accepts<WebhookEventsEndpoint.WebhookEventRequest>("application/json")
    .Produces(StatusCodes.Status202Accepted)
    .Produces(StatusCodes.Status401Unauthorized)
    .WithSummary("Fire a webhook event to a subscriber");
v1.MapPost("/letters", LettersEndpoint.SendAsync)
    .WithIdempotency()
    .Publishes(typeof(SendLetter))
    .Accepts<LettersEndpoint.LetterRequest>("application/json")
    .Produces(StatusCodes.Status202Accepted)
    .Produces(StatusCodes.Status401Unauthorized)
    .WithSummary("Send a letter through the print provider");
v1.MapPost("/patients", PatientsEndpoint.CreateAsync)
    .WithValidatedBody<PatientsEndpoint.PatientRequest>(PatientsEndpoint.ValidateNew)
    .WithIdempotency(IdempotencyMode.Transactional)
    .Accepts<PatientsEndpoint.PatientRequest>("application/json")
    .WithSummary("Create a patient (synchronous: 201 with the patient, replayed on retry)");
v1.MapPatch("/patients/{id}", PatientsEndpoint.UpdateAsync)
    .WithValidatedBody<PatientsEndpoint.PatientRequest>(PatientsEndpoint.ValidateChange)
    .WithIdempotency(IdempotencyMode.Transactional)
    .Accepts<PatientsEndpoint.PatientRequest>("application/json")
    .WithSummary("Change a patient's name or date of birth");
v1.MapGet("/patients/{id}", PatientsEndpoint.ReadAsync).WithSummary("Read a patient");
v1.MapPost("/insurance-policies/validate", EligibilityEndpoint.CheckAsync)
    .WithValidatedBody<EligibilityEndpoint.EligibilityRequest>(EligibilityEndpoint.Validate)
    .WithIdempotency(IdempotencyMode.Leased)
    .Accepts<EligibilityEndpoint.EligibilityRequest>("application/json")
    .WithSummary("Check a member's eligibility with the payer (synchronous, leased: the payer is called once per key)");
v1.MapOperationStatus("/operations/{id}").WithSummary("Read an operation's status and outcome");

// The page at /inbox/ and its JSON routes beneath it (counts, operations, failures, redrive, release leases).
app.MapInboxConsole("/inbox", OperatorAuthentication.ConsolePolicy, console => console.AllTenantsPolicy = OperatorAuthentication.AllTenantsPolicy);

if (runSimulator)
{
    app.MapDownstreamSimulator("/downstream");
}

await app.RunAsync();
