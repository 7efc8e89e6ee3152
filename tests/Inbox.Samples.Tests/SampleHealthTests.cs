using System.Net;
using System.Text.Json;
using Inbox.Testing;

namespace Inbox.Samples.Tests;

/// <summary>The sample's readiness is the library's Inbox check and MassTransit's bus check, with their figures.</summary>
public sealed class SampleHealthTests
{
    [Fact]
    public async Task Ready_reports_the_inbox_store_and_the_bus_with_the_store_figures()
    {
        var workingDirectory = Directory.CreateTempSubdirectory("inbox-health-").FullName;
        try
        {
            await using var api = await AppProcess.StartAsync("Inbox.Samples.Api", AppProcess.FreePort(), new Dictionary<string, string>(), workingDirectory);
            using var http = new HttpClient { BaseAddress = api.BaseAddress };

            using var ready = await http.GetAsync("/health/ready");
            using var live = await http.GetAsync("/health/live");

            Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
            Assert.Equal(HttpStatusCode.OK, live.StatusCode);
            using var report = JsonDocument.Parse(await ready.Content.ReadAsStringAsync());
            Assert.Equal("Healthy", report.RootElement.GetProperty("status").GetString());
            var checks = report.RootElement.GetProperty("checks").EnumerateArray().ToDictionary(c => c.GetProperty("name").GetString()!);
            Assert.Equal(["inbox", "masstransit-bus"], checks.Keys.Order(StringComparer.Ordinal));
            var inbox = checks["inbox"];
            Assert.Equal("Healthy", inbox.GetProperty("status").GetString());
            Assert.Equal(0, inbox.GetProperty("data").GetProperty("failed_in_window").GetInt64());
            Assert.Equal(300, inbox.GetProperty("data").GetProperty("max_accepted_age_seconds").GetInt64());
            Assert.StartsWith("No accepted operation is waiting.", inbox.GetProperty("description").GetString());
        }
        finally
        {
            Directory.Delete(workingDirectory, recursive: true);
        }
    }
}
