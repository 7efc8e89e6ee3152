using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace Inbox.Samples.Hosting;

/// <summary>
/// Where the downstream services live: <c>Downstream:BaseUrl</c>; in the embedded mode, where unset, the
/// simulator served by this very process under <c>/downstream</c>. Subscriptions map ids to subscriber URLs,
/// absolute or relative to the base (<c>Subscriptions:sub_1</c>).
/// </summary>
public sealed class Downstream(IConfiguration configuration, IServiceProvider services)
{
    public const string HttpClientName = "downstream";

    private Uri? _baseUrl;

    public Uri BaseUrl => _baseUrl ??= Discover();

    public Uri Resolve(string relative) => new(BaseUrl, relative);

    public Uri? SubscriberUrl(string subscriptionId)
    {
        var configured = configuration[$"Subscriptions:{subscriptionId}"];
        if (string.IsNullOrWhiteSpace(configured))
        {
            return null;
        }

        return Uri.TryCreate(configured, UriKind.Absolute, out var absolute) ? absolute : Resolve(configured.TrimStart('/'));
    }

    private Uri Discover()
    {
        if (configuration["Downstream:BaseUrl"] is { Length: > 0 } configured)
        {
            return new Uri(configured.EndsWith('/') ? configured : configured + "/");
        }

        var address = services.GetService<IServer>()?.Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault()
            ?? throw new InvalidOperationException("Set Downstream:BaseUrl to the downstream simulator's address.");
        var local = address.Replace("://+", "://localhost", StringComparison.Ordinal)
            .Replace("://*", "://localhost", StringComparison.Ordinal)
            .Replace("://0.0.0.0", "://localhost", StringComparison.Ordinal)
            .Replace("://[::]", "://localhost", StringComparison.Ordinal);
        return new Uri(local.TrimEnd('/') + "/downstream/");
    }
}
