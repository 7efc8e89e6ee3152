using System.Diagnostics;
using System.Globalization;
using System.Security.Claims;
using System.Text.Json;
using Inbox.AspNetCore;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Inbox.Benchmarks.OperationsConsole;

/// <summary>
/// <c>GET counts</c> through the real console route on Kestrel (127.0.0.1), with the default counts cache
/// (<see cref="InboxConsoleDefaults.CountsMaxAge"/>), polled as operators' pages poll it: for each scope, two pollers
/// that each wait 50–200 ms (uniformly, seeded) between requests, all scopes at once, for the given duration, so the
/// cached counts go stale and are refreshed in the background several times per scope.
/// </summary>
internal static class ConsoleCountsPolling
{
    private const string Operator = "bench-operator";
    private const string AllTenants = "bench-all-tenants";
    private const string TenantHeader = "X-Bench-Tenant";
    private const int PollersPerScope = 2;

    /// <summary>One scope's figures: latencies of every timed request, the reads the cache made (distinct <c>as_of</c>), the oldest <c>as_of</c> served.</summary>
    public sealed record Row(string Scope, int Requests, double P50, double P95, double P99, double Max, int Reads, double MaxAgeSeconds);

    public static async Task<IReadOnlyList<Row>> RunAsync(string connectionString, IReadOnlyList<(string Name, string? Tenant)> scopes, TimeSpan duration)
    {
        await using var app = await StartAsync(connectionString);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        using var client = new HttpClient { BaseAddress = new Uri(address) };

        // Untimed: the first request of each scope awaits the first read, as a page's first load does.
        foreach (var (_, tenant) in scopes)
        {
            await GetCountsAsync(client, tenant);
        }

        var until = Stopwatch.GetTimestamp() + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        var results = await Task.WhenAll(scopes.Select(async (scope, index) =>
        {
            var polls = await Task.WhenAll(Enumerable.Range(0, PollersPerScope).Select(poller => PollAsync(client, scope.Tenant, new Random(index * 31 + poller), until)));
            var ticks = polls.SelectMany(p => p.Ticks).Order().ToArray();
            var asOf = polls.SelectMany(p => p.AsOf).ToHashSet();
            double Percentile(double p) => ticks[Math.Min(ticks.Length - 1, (int)Math.Ceiling(p * ticks.Length) - 1)] * 1000.0 / Stopwatch.Frequency;
            return new Row(scope.Name, ticks.Length, Percentile(0.50), Percentile(0.95), Percentile(0.99), Percentile(1.0), asOf.Count, polls.Max(p => p.MaxAgeSeconds));
        }));
        return results;
    }

    public static void Print(IReadOnlyList<Row> rows, IReadOnlyDictionary<string, double> storeP99, TimeSpan duration, double target)
    {
        Console.WriteLine();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"## console counts over HTTP (Kestrel, CountsMaxAge {InboxConsoleDefaults.CountsMaxAge.TotalSeconds:F0} s, {PollersPerScope} pollers per scope every 50–200 ms, all scopes at once, {duration.TotalSeconds:F0} s)"));
        Console.WriteLine();
        Console.WriteLine("| scope | requests | p50 ms | p95 ms | p99 ms | max ms | reads of the store (distinct as_of) | oldest as_of served, s | store read p99 ms (uncached, above) | target (< 100 ms p99) |");
        Console.WriteLine("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |");
        foreach (var row in rows)
        {
            var store = storeP99.TryGetValue(row.Scope, out var p99) ? p99.ToString("F2", CultureInfo.InvariantCulture) : "";
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {row.Scope} | {row.Requests} | {row.P50:F2} | {row.P95:F2} | {row.P99:F2} | {row.Max:F2} | {row.Reads} | {row.MaxAgeSeconds:F1} | {store} | {(row.P99 < target ? "met" : "MISSED")} |"));
        }
    }

    private static async Task<(List<long> Ticks, List<string> AsOf, double MaxAgeSeconds)> PollAsync(HttpClient client, string? tenant, Random random, long until)
    {
        var ticks = new List<long>();
        var asOf = new List<string>();
        var maxAge = 0.0;
        while (Stopwatch.GetTimestamp() < until)
        {
            await Task.Delay(random.Next(50, 201));
            var start = Stopwatch.GetTimestamp();
            var read = await GetCountsAsync(client, tenant);
            ticks.Add(Stopwatch.GetTimestamp() - start);
            asOf.Add(read);
            maxAge = Math.Max(maxAge, (DateTimeOffset.UtcNow - DateTimeOffset.Parse(read, CultureInfo.InvariantCulture)).TotalSeconds);
        }

        return (ticks, asOf, maxAge);
    }

    /// <summary>The answer's <c>as_of</c>.</summary>
    private static async Task<string> GetCountsAsync(HttpClient client, string? tenant)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/inbox/counts");
        request.Headers.Add(TenantHeader, tenant ?? "*");
        using var response = await client.SendAsync(request);
        response.EnsureSuccessStatusCode();
        using var json = JsonDocument.Parse(await response.Content.ReadAsStreamAsync());
        return json.RootElement.GetProperty("data").GetProperty("as_of").GetString()!;
    }

    private static async Task<WebApplication> StartAsync(string connectionString)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrelCore().UseUrls("http://127.0.0.1:0");
        builder.Services.AddDbContextPool<BenchDbContext>(o => o.UseNpgsql(connectionString));
        builder.Services.AddIdempotency().UseEntityFrameworkCore<BenchDbContext>(o => o.EnableRelay = o.EnableSweeper = false);
        builder.Services.AddAuthorization(options =>
        {
            options.AddPolicy(Operator, policy => policy.RequireAuthenticatedUser());
            options.AddPolicy(AllTenants, policy => policy.RequireRole(AllTenants));
        });

        var app = builder.Build();
        // The benchmark's stand-in for sign-in: the header names the operator's tenant, "*" all tenants.
        app.Use((context, next) =>
        {
            var tenant = context.Request.Headers[TenantHeader].ToString();
            Claim[] claims = tenant == "*" ? [new Claim(ClaimTypes.Role, AllTenants)] : [new Claim("tenant_id", tenant)];
            context.User = new ClaimsPrincipal(new ClaimsIdentity(claims, "bench"));
            return next(context);
        });
        app.UseAuthorization();
        app.MapInboxConsole("/inbox", Operator, console => console.AllTenantsPolicy = AllTenants);
        await app.StartAsync();
        return app;
    }
}
