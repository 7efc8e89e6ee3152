using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using Inbox.Samples.Api.Endpoints;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace Inbox.Samples.Api.Authentication;

/// <summary>
/// The operations console's credential: an operator key from configuration (<c>Operators:ops_dev_platform = *</c>
/// for every tenant, <c>Operators:ops_dev_org_a = org_a</c> for one), sent as HTTP Basic with any user name and the
/// key as the password, so a browser asks for it on the console's page and <c>curl -u</c> sends it; a bearer token
/// works too. A missing or unknown key is a 401 that asks for Basic credentials. The keys live in
/// appsettings.Development.json, so no other environment has any until it is given its own.
/// </summary>
public sealed class OperatorAuthentication(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder, IConfiguration configuration)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "Operator";

    /// <summary>Every operator key has this role; the console's policy requires it.</summary>
    public const string OperatorRole = "operator";

    /// <summary>Keys mapped to <see cref="EveryTenant"/> also have this role, which the all-tenants policy requires.</summary>
    public const string PlatformOperatorRole = "platform-operator";

    /// <summary>The console's policy: an operator, scoped to its tenant.</summary>
    public const string ConsolePolicy = "inbox-operator";

    /// <summary>The console's all-tenants policy.</summary>
    public const string AllTenantsPolicy = "inbox-all-tenants";

    /// <summary>The configured tenant of a key that operates every tenant.</summary>
    public const string EveryTenant = "*";

    private const string Basic = "Basic ";
    private const string Bearer = "Bearer ";

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var header = Request.Headers.Authorization.ToString();
        string user;
        string key;
        if (header.StartsWith(Basic, StringComparison.OrdinalIgnoreCase))
        {
            if (!TryDecodeBasic(header[Basic.Length..].Trim(), out user, out key))
            {
                return Task.FromResult(AuthenticateResult.Fail("Malformed Basic credentials."));
            }
        }
        else if (header.StartsWith(Bearer, StringComparison.OrdinalIgnoreCase))
        {
            (user, key) = (OperatorRole, header[Bearer.Length..].Trim());
        }
        else
        {
            return Task.FromResult(AuthenticateResult.NoResult());
        }

        var tenant = key.Length is > 0 and <= 200 ? TenantOf(key) : null;
        if (string.IsNullOrEmpty(tenant))
        {
            return Task.FromResult(AuthenticateResult.Fail("Unknown operator key."));
        }

        // The user name is whatever the operator typed; it names them in the console's action log, the key decides what they may do.
        var name = user.Length is > 0 and <= 100 && !user.Any(char.IsControl) ? user : OperatorRole;
        List<Claim> claims = [new(ClaimTypes.Name, name), new(ClaimTypes.Role, OperatorRole)];
        claims.Add(tenant == EveryTenant ? new Claim(ClaimTypes.Role, PlatformOperatorRole) : new Claim("tenant_id", tenant));
        var identity = new ClaimsIdentity(claims, SchemeName);
        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName)));
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.Headers.WWWAuthenticate = "Basic realm=\"Inbox console\", charset=\"UTF-8\"";
        await SampleErrors.Write(
            Context,
            StatusCodes.Status401Unauthorized,
            "unauthorized",
            "Sign in with an operator key: any user name, the key as the password (HTTP Basic).").ExecuteAsync(Context);
    }

    protected override async Task HandleForbiddenAsync(AuthenticationProperties properties) =>
        await SampleErrors.Write(Context, StatusCodes.Status403Forbidden, "forbidden", "This operator key may not use the console.").ExecuteAsync(Context);

    // Compared as SHA-256 digests in fixed time and case-sensitively, which a configuration lookup by key is not.
    private string? TenantOf(string key)
    {
        var presented = SHA256.HashData(Encoding.UTF8.GetBytes(key));
        string? tenant = null;
        foreach (var configured in configuration.GetSection("Operators").GetChildren())
        {
            if (CryptographicOperations.FixedTimeEquals(presented, SHA256.HashData(Encoding.UTF8.GetBytes(configured.Key))))
            {
                tenant = configured.Value;
            }
        }

        return tenant;
    }

    private static bool TryDecodeBasic(string encoded, out string user, out string password)
    {
        (user, password) = (string.Empty, string.Empty);
        var bytes = new byte[(encoded.Length * 3 / 4) + 3];
        if (!Convert.TryFromBase64String(encoded, bytes, out var length))
        {
            return false;
        }

        var text = Encoding.UTF8.GetString(bytes, 0, length);
        var colon = text.IndexOf(':', StringComparison.Ordinal);
        if (colon < 0)
        {
            return false;
        }

        (user, password) = (text[..colon], text[(colon + 1)..]);
        return true;
    }
}
