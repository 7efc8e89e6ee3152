using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Inbox.AspNetCore.Tests.Support;

/// <summary>
/// Authenticates <c>Authorization: Claims type=value;type=value</c> as a principal with exactly those claims
/// (<c>name</c> is <see cref="ClaimTypes.Name"/>; <c>Authorization: Claims</c> alone is a principal with none), so a
/// test can shape principals the tenant resolver must tell apart.
/// </summary>
public sealed class ClaimsAuthentication(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "Claims";

    /// <summary>Makes this scheme the application's default (after <see cref="TestApi"/> registered its own).</summary>
    public static void Register(IServiceCollection services) =>
        services.AddAuthentication(o => o.DefaultScheme = SchemeName)
            .AddScheme<AuthenticationSchemeOptions, ClaimsAuthentication>(SchemeName, null);

    public static HttpRequestMessage Authorize(HttpRequestMessage request, string claims)
    {
        request.Headers.TryAddWithoutValidation("Authorization", ("Claims " + claims).TrimEnd());
        return request;
    }

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var header = Request.Headers.Authorization.ToString();
        if (!header.StartsWith("Claims", StringComparison.Ordinal))
        {
            return Task.FromResult(AuthenticateResult.NoResult());
        }

        var claims = header["Claims".Length..].Trim()
            .Split(';', StringSplitOptions.RemoveEmptyEntries)
            .Select(pair => pair.Split('=', 2))
            .Select(pair => new Claim(pair[0] == "name" ? ClaimTypes.Name : pair[0], pair[1]));
        var identity = new ClaimsIdentity(claims, SchemeName);
        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName)));
    }
}
