using System.Security.Claims;
using System.Text.Encodings.Web;
using Inbox.Samples.Api.Endpoints;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace Inbox.Samples.Api.Authentication;

/// <summary>
/// <c>Authorization: Bearer &lt;api key&gt;</c>, each key mapped to an organisation (the tenant) in
/// configuration (<c>ApiKeys:sk_test_org_a = org_a</c>). A missing or unknown key is a 401 in the envelope.
/// </summary>
public sealed class ApiKeyAuthentication(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder, IConfiguration configuration)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ApiKey";
    private const string Prefix = "Bearer ";

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var header = Request.Headers.Authorization.ToString();
        if (!header.StartsWith(Prefix, StringComparison.OrdinalIgnoreCase))
        {
            return Task.FromResult(AuthenticateResult.NoResult());
        }

        var key = header[Prefix.Length..].Trim();
        var organisation = key.Length is > 0 and <= 200 && !key.Contains(':', StringComparison.Ordinal) ? configuration[$"ApiKeys:{key}"] : null;
        if (string.IsNullOrEmpty(organisation))
        {
            return Task.FromResult(AuthenticateResult.Fail("Unknown API key."));
        }

        var identity = new ClaimsIdentity([new Claim("tenant_id", organisation), new Claim(ClaimTypes.Name, organisation)], SchemeName);
        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName)));
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        var missing = string.IsNullOrEmpty(Request.Headers.Authorization.ToString());
        await SampleErrors.Write(
            Context,
            StatusCodes.Status401Unauthorized,
            "unauthorized",
            missing ? "Send your API key in the Authorization header as a bearer token." : "The API key is not valid.").ExecuteAsync(Context);
    }
}
