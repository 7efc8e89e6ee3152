using Inbox.Samples.Hosting.Simulator;

// The downstream simulator as its own service (the embedded default serves it under /downstream instead).
var builder = WebApplication.CreateBuilder(args);
builder.Services.AddDownstreamSimulator(builder.Configuration);
builder.Services.AddHealthChecks();

var app = builder.Build();
app.MapDownstreamSimulator();
app.MapHealthChecks("/health/live");
app.MapHealthChecks("/health/ready");
await app.RunAsync();
