using System.Net;
using BenchmarkDotNet.Attributes;
using Inbox.Client;
using Microsoft.Extensions.DependencyInjection;

namespace Inbox.Benchmarks.Micro;

/// <summary>
/// What Inbox.Client's handlers add to one send that succeeds the first time: a POST through a plain
/// <see cref="HttpClient"/>, through the key handler, and through the key handler and the idempotent resilience handler,
/// all over an in-process handler that answers 202 at once, so only the client side is measured. The baseline is a
/// factory client with no handlers added (the factory's own logging handlers are in every factory client); a bare
/// <c>new HttpClient(handler)</c> is shown for reference.
/// </summary>
[MemoryDiagnoser]
public class ClientHandlerBenchmarks
{
    private static readonly Uri Claims = new("http://api.test/v1/claims");
    private ServiceProvider? _services;
    private HttpClient _bare = null!;
    private HttpClient _plain = null!;
    private HttpClient _keys = null!;
    private HttpClient _keysAndRetries = null!;
    private HttpClient _standard = null!;

    [GlobalSetup]
    public void Setup()
    {
        var services = new ServiceCollection();
        services.AddHttpClient("plain").ConfigurePrimaryHttpMessageHandler(() => new Answer202());
        services.AddHttpClient("keys").ConfigurePrimaryHttpMessageHandler(() => new Answer202()).AddIdempotencyKeys();
        services.AddHttpClient("keys+retries").ConfigurePrimaryHttpMessageHandler(() => new Answer202())
            .AddIdempotencyKeys()
            .AddIdempotentResilienceHandler();
        services.AddHttpClient("standard").ConfigurePrimaryHttpMessageHandler(() => new Answer202()).AddStandardResilienceHandler();
        _services = services.BuildServiceProvider();
        var factory = _services.GetRequiredService<IHttpClientFactory>();
        _bare = new HttpClient(new Answer202());
        _plain = factory.CreateClient("plain");
        _keys = factory.CreateClient("keys");
        _keysAndRetries = factory.CreateClient("keys+retries");
        _standard = factory.CreateClient("standard");
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _bare.Dispose();
        _services?.Dispose();
    }

    [Benchmark(Description = "POST: new HttpClient(handler) (reference)")]
    public Task<HttpStatusCode> Bare() => PostAsync(_bare);

    [Benchmark(Baseline = true, Description = "POST: factory HttpClient, no handlers added")]
    public Task<HttpStatusCode> Plain() => PostAsync(_plain);

    [Benchmark(Description = "POST: + key handler")]
    public Task<HttpStatusCode> Keys() => PostAsync(_keys);

    [Benchmark(Description = "POST: + key handler + idempotent resilience handler")]
    public Task<HttpStatusCode> KeysAndRetries() => PostAsync(_keysAndRetries);

    [Benchmark(Description = "POST: + standard resilience handler (reference)")]
    public Task<HttpStatusCode> Standard() => PostAsync(_standard);

    private static async Task<HttpStatusCode> PostAsync(HttpClient client)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, Claims);
        using var response = await client.SendAsync(request).ConfigureAwait(false);
        return response.StatusCode;
    }

    private sealed class Answer202 : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            Task.FromResult(new HttpResponseMessage(HttpStatusCode.Accepted) { RequestMessage = request });
    }
}
