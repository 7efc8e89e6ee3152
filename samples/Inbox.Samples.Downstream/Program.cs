using Inbox.Samples.Hosting.Simulator;

// The downstream simulator as its own service (the embedded default serves it under /downstream instead).
// Settings come from beside the binary, so the app runs the same from any working directory.
var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
builder.Services.AddDownstreamSimulator(builder.Configuration);
builder.Services.AddHealthChecks();

var app = builder.Build();
app.MapDownstreamSimulator();
app.MapHealthChecks("/health/live");
app.MapHealthChecks("/health/ready");
await app.RunAsync();
