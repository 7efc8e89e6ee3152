using System.Net.Http.Headers;
using System.Text;
using Inbox.Testing;

namespace Inbox.Samples.Tests;

/// <summary>Clients of the sample API with its credentials: API keys as bearer tokens, operator keys as HTTP Basic too.</summary>
internal static class SampleCredentials
{
    /// <summary>The environment <c>dotnet run</c> gives the sample (launchSettings.json), where its development operator keys exist.</summary>
    public static Dictionary<string, string> Development() => new()
    {
        ["ASPNETCORE_ENVIRONMENT"] = "Development",
        ["DOTNET_ENVIRONMENT"] = "Development",
    };

    public static AuthenticationHeaderValue Bearer(string key) => new("Bearer", key);

    public static AuthenticationHeaderValue Basic(string user, string key) => new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{key}")));

    public static HttpClient Client(AppProcess api, AuthenticationHeaderValue? authorization)
    {
        var client = new HttpClient { BaseAddress = api.BaseAddress };
        client.DefaultRequestHeaders.Authorization = authorization;
        return client;
    }
}
