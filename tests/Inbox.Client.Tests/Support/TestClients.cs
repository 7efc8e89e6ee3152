using System.Net.Http.Headers;
using Microsoft.Extensions.DependencyInjection;

namespace Inbox.Client.Tests.Support;

/// <summary>An <see cref="InboxClient"/> built as an application builds it, with the recorder beneath the retries.</summary>
public sealed class TestClients : IDisposable
{
    private readonly ServiceProvider _services;

    /// <param name="keys">Whether the client has the key handler; without it only InboxClient's own submissions are keyed.</param>
    public TestClients(Uri baseAddress, Action<IdempotentRetryOptions>? retry = null, bool keys = true)
    {
        var services = new ServiceCollection();
        var builder = services.AddHttpClient<InboxClient>(http =>
        {
            http.BaseAddress = baseAddress;
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "sk_test_org_a");
        });
        if (keys)
        {
            builder.AddIdempotencyKeys();
        }

        builder.AddIdempotentResilienceHandler(options =>
        {
            options.BaseDelay = TimeSpan.FromMilliseconds(50);
            options.MaxDelay = TimeSpan.FromMilliseconds(500);
            options.MaxRetryAfter = TimeSpan.FromSeconds(1);
            retry?.Invoke(options);
        });
        builder.AddHttpMessageHandler(() => Recorder);
        _services = services.BuildServiceProvider();
    }

    public AttemptRecorder Recorder { get; } = new();

    public InboxClient Client => _services.GetRequiredService<InboxClient>();

    /// <summary>The typed client's HttpClient itself, for requests InboxClient does not make.</summary>
    public HttpClient Http => _services.GetRequiredService<IHttpClientFactory>().CreateClient(nameof(InboxClient));

    public void Dispose() => _services.Dispose();
}
