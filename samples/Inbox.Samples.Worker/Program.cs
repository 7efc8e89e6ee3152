using Inbox.Samples.Data;
using Inbox.Samples.Hosting;

// The worker on its own: RabbitMQ and PostgreSQL or SQL Server (see appsettings.json and the README).
// Settings come from beside the binary, so the app runs the same from any working directory.
var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
builder.Services.AddSampleDatabase(builder.Configuration);
builder.Services.AddInbox().UseSampleStore(builder.Configuration).UseMassTransit();
builder.Services.AddSampleMessaging(builder.Configuration, consume: true);
builder.Services.AddSampleTelemetry(builder.Configuration, "inbox-samples-worker");
builder.Services.AddInboxCounters(builder.Configuration);

var app = builder.Build();
await app.Services.PrepareSampleDatabaseAsync(app.Configuration);
app.MapSampleHealthChecks();
app.MapInboxCounters();
await app.RunAsync();
