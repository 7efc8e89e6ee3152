using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;

namespace Inbox.AspNetCore.Operating;

/// <summary>
/// The console's one HTML page, from the package's embedded resources: the markup with its stylesheet and script
/// inlined, so it needs nothing else to load. The Content-Security-Policy allows exactly that stylesheet and that
/// script (by their SHA-256), requests to this origin only, and no framing, forms, plugins or other sources.
/// </summary>
internal sealed class ConsolePage
{
    private const string ResourcePrefix = "Inbox.AspNetCore.Operating.Page.";

    private static readonly Lazy<ConsolePage> Instance = new(Load);

    private ConsolePage(byte[] html, string contentSecurityPolicy)
    {
        Html = html;
        ContentSecurityPolicy = contentSecurityPolicy;
    }

    public static ConsolePage Shared => Instance.Value;

    public byte[] Html { get; }

    public string ContentSecurityPolicy { get; }

    public static Task WriteAsync(HttpContext context)
    {
        var page = Shared;
        var response = context.Response;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = "text/html; charset=utf-8";
        response.ContentLength = page.Html.Length;
        var headers = response.Headers;
        headers.CacheControl = "no-store";
        headers.ContentSecurityPolicy = page.ContentSecurityPolicy;
        headers.XContentTypeOptions = "nosniff";
        headers.XFrameOptions = "DENY";
        headers["Referrer-Policy"] = "no-referrer";
        return response.Body.WriteAsync(page.Html, context.RequestAborted).AsTask();
    }

    private static ConsolePage Load()
    {
        var style = Resource("console.css");
        var script = Resource("console.js");
        var html = Resource("console.html")
            .Replace("{{style}}", style, StringComparison.Ordinal)
            .Replace("{{script}}", script, StringComparison.Ordinal);
        var policy = string.Join("; ",
            "default-src 'none'",
            $"script-src '{Hash(script)}'",
            $"style-src '{Hash(style)}'",
            "connect-src 'self'",
            "img-src data:",
            "base-uri 'none'",
            "form-action 'none'",
            "frame-ancestors 'none'");
        return new ConsolePage(Encoding.UTF8.GetBytes(html), policy);
    }

    private static string Hash(string inline) => "sha256-" + Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(inline)));

    private static string Resource(string name)
    {
        using var stream = typeof(ConsolePage).Assembly.GetManifestResourceStream(ResourcePrefix + name)
            ?? throw new InvalidOperationException($"The console page resource '{name}' is missing from {typeof(ConsolePage).Assembly.GetName().Name}.");
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return reader.ReadToEnd();
    }
}
