using System.Net.Http.Headers;
using System.Text.Json;
using Inbox.AspNetCore.Tests.Support;
using Inbox.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Inbox.AspNetCore.Tests.Seeds;

/// <summary>What the seed profiles' handlers answer and how their tests send and read requests.</summary>
internal static class SeedApi
{
    /// <summary>A Kestrel API on a fresh database of <paramref name="kind"/> with a profile's options and endpoints.</summary>
    public static async Task<TestApi> StartAsync(
        DatabaseKind kind, Action<WebApplication> endpoints, Action<IdempotencyOptions>? configure = null, Action<IServiceCollection>? services = null) =>
        await TestApi.StartAsync(
            await ContractDatabase.CreateAsync(kind),
            configure,
            services: s =>
            {
                SynchronousEndpoints.AddServices(s);
                services?.Invoke(s);
            },
            kestrel: true,
            endpoints: endpoints);

    public static HandlerProbe Probe(TestApi api) => api.Services.GetRequiredService<HandlerProbe>();

    /// <summary>The rows the profile's handlers wrote (patients, claims, entities: one table stands for all).</summary>
    public static async Task<int> RowsAsync(TestApi api)
    {
        await using var db = api.CreateDbContext();
        return await db.Patients.CountAsync();
    }

    /// <summary>The seeds' envelope: <c>{"data": ..., "meta": {"request_id": ...}, "error": null}</c>.</summary>
    public static object Envelope(HttpContext context, object data) =>
        new { data, meta = new { request_id = context.GetInboxRequestId() }, error = (object?)null };

    /// <summary>A request with any method, the key under any header name and an API token.</summary>
    public static HttpRequestMessage Request(
        HttpMethod method, string path, string? json, string? key = null, string keyHeader = "Idempotency-Key", string? tenant = null, string? token = null)
    {
        var request = Http.Post(path, json, tenant: tenant);
        request.Method = method;
        if (key is not null)
        {
            request.Headers.TryAddWithoutValidation(keyHeader, key);
        }

        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        return request;
    }

    /// <summary>The request id of a seed envelope (<c>meta.request_id</c>).</summary>
    public static string RequestId(JsonElement envelope) => envelope.GetProperty("meta").GetProperty("request_id").GetString()!;

    /// <summary>Asserts the members of a JSON object, in order.</summary>
    public static void AssertMembers(JsonElement json, params string[] names) =>
        Assert.Equal(names, json.EnumerateObject().Select(member => member.Name));
}
