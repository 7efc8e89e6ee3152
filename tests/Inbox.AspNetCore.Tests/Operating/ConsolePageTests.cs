using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Inbox.AspNetCore.Tests.Support;
using Inbox.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace Inbox.AspNetCore.Tests.Operating;

/// <summary>
/// The console's page as HTTP sees it: where it is served, behind which policy, with which headers. What it shows and
/// does is tested in a real browser against the sample (Inbox.Samples.Tests, ConsolePageBrowserTests).
/// </summary>
public sealed partial class ConsolePageTests
{
    private const string Operator = "inbox-operator";

    private static async Task<TestApi> StartAsync(string prefix = "/inbox") => await TestApi.StartAsync(
        await ContractDatabase.CreateAsync(DatabaseKind.Sqlite),
        services: services => services.AddAuthorization(options => options.AddPolicy(Operator, policy => policy.RequireAuthenticatedUser())),
        endpoints: app => app.MapInboxConsole(prefix, Operator));

    private static async Task<(HttpResponseMessage Response, string Html)> GetPageAsync(TestApi api, string path)
    {
        var response = await api.Client.SendAsync(Http.Get(path, "org_a"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (response, await response.Content.ReadAsStringAsync());
    }

    private static string Inline(string html, string tag) =>
        Regex.Match(html, $"<{tag}>(?<content>.*?)</{tag}>", RegexOptions.Singleline) is { Success: true } match
            ? match.Groups["content"].Value
            : throw new InvalidOperationException($"The page has no inline <{tag}>.");

    private static string Sha256(string text) => "sha256-" + Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(text)));

    [Theory]
    [InlineData("/inbox", "/inbox")]
    [InlineData("/inbox", "/inbox/")]
    [InlineData("/ops/inbox", "/ops/inbox/")]
    public async Task Page_is_served_at_the_prefix_with_or_without_a_trailing_slash(string prefix, string path)
    {
        await using var api = await StartAsync(prefix);

        var (response, html) = await GetPageAsync(api, path);

        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("utf-8", response.Content.Headers.ContentType?.CharSet);
        Assert.Equal("no-store", response.Headers.CacheControl?.ToString());
        Assert.StartsWith("<!DOCTYPE html>", html, StringComparison.Ordinal);
        Assert.Contains("<title>Inbox operations</title>", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Anonymous_caller_is_refused_the_page_by_the_policy()
    {
        await using var api = await StartAsync();

        var response = await api.Client.SendAsync(Http.Get("/inbox/"));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.DoesNotContain("<html", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Content_security_policy_allows_exactly_the_inline_script_and_stylesheet_and_requests_to_this_origin()
    {
        await using var api = await StartAsync();

        var (response, html) = await GetPageAsync(api, "/inbox/");

        var policy = string.Join("; ", response.Headers.GetValues("Content-Security-Policy"));
        var directives = policy.Split(';', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(
            [
                "default-src 'none'", $"script-src '{Sha256(Inline(html, "script"))}'", $"style-src '{Sha256(Inline(html, "style"))}'",
                "connect-src 'self'", "img-src data:", "base-uri 'none'", "form-action 'none'", "frame-ancestors 'none'",
            ],
            directives);
        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Equal("DENY", response.Headers.GetValues("X-Frame-Options").Single());
        Assert.Equal("no-referrer", response.Headers.GetValues("Referrer-Policy").Single());
    }

    [Fact]
    public async Task Page_loads_nothing_from_elsewhere_and_never_writes_markup_from_data()
    {
        await using var api = await StartAsync();

        var (_, html) = await GetPageAsync(api, "/inbox/");

        Assert.Equal(["data:,"], SourceAttribute().Matches(html).Select(m => m.Groups["url"].Value));
        Assert.DoesNotContain("//", Regex.Replace(Inline(html, "script"), "^\\s*//.*$", "", RegexOptions.Multiline), StringComparison.Ordinal);
        Assert.DoesNotMatch("innerHTML|outerHTML|insertAdjacentHTML|document\\.write|eval\\(|new Function", Inline(html, "script"));
    }

    [GeneratedRegex("(?:src|href)=\"(?<url>[^\"]*)\"")]
    private static partial Regex SourceAttribute();
}
