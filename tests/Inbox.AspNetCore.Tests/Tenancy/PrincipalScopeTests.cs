using System.Net;
using Inbox.AspNetCore.Tests.Support;
using Inbox.Testing;

namespace Inbox.AspNetCore.Tests.Tenancy;

/// <summary>
/// The default tenant resolver never merges principals: an authenticated principal without a tenant claim is scoped
/// by its subject in a namespace no tenant claim can reach, never by its name and never with the anonymous callers.
/// Over real HTTP.
/// </summary>
public abstract class PrincipalScopeTests
{
    protected abstract DatabaseKind Kind { get; }

    private async Task<TestApi> StartAsync() =>
        await TestApi.StartAsync(await ContractDatabase.CreateAsync(Kind), kestrel: true, services: ClaimsAuthentication.Register);

    private static HttpRequestMessage Post(string claims, string key = "key-1") =>
        ClaimsAuthentication.Authorize(Http.Post("/claims", Http.ValidClaim, key: key), claims);

    [SkippableFact]
    public async Task Authenticated_principals_without_a_tenant_claim_get_a_scope_each_apart_from_anonymous_callers()
    {
        await using var api = await StartAsync();
        var anonymous = await api.Client.SendAsync(Http.Post("/claims", Http.ValidClaim, key: "key-1"));

        var userOne = await api.Client.SendAsync(Post("sub=user-1"));
        var userTwo = await api.Client.SendAsync(Post("sub=user-2"));
        var userOneAgain = await api.Client.SendAsync(Post("sub=user-1"));

        Assert.Equal(
            [HttpStatusCode.Accepted, HttpStatusCode.Accepted, HttpStatusCode.Accepted],
            new[] { anonymous.StatusCode, userOne.StatusCode, userTwo.StatusCode });
        Assert.Null(userOne.Header("Idempotent-Replayed"));
        Assert.Null(userTwo.Header("Idempotent-Replayed"));
        Assert.Equal("true", userOneAgain.Header("Idempotent-Replayed"));
        Assert.Equal(await userOne.Content.ReadAsByteArrayAsync(), await userOneAgain.Content.ReadAsByteArrayAsync());
        var tenants = (await api.OperationsAsync()).Select(o => o.TenantId).ToArray();
        Assert.Equal(3, tenants.Distinct().Count());
        Assert.Contains("", tenants);
    }

    [SkippableFact]
    public async Task A_user_named_like_a_tenant_does_not_land_in_that_tenant()
    {
        await using var api = await StartAsync();
        var tenant = await api.Client.SendAsync(Post("tenant_id=acme"));

        var namedAcme = await api.Client.SendAsync(Post("name=acme;sub=user-9"));

        Assert.Equal(HttpStatusCode.Accepted, tenant.StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, namedAcme.StatusCode);
        Assert.Null(namedAcme.Header("Idempotent-Replayed"));
        Assert.Equal(HttpStatusCode.NotFound, (await api.Client.SendAsync(
            ClaimsAuthentication.Authorize(Http.Get(tenant.Headers.Location!.OriginalString), "name=acme;sub=user-9"))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await api.Client.SendAsync(
            ClaimsAuthentication.Authorize(Http.Get(tenant.Headers.Location!.OriginalString), "tenant_id=acme"))).StatusCode);
    }

    [SkippableFact]
    public async Task A_tenant_claim_spelling_a_subject_scope_is_still_another_tenant()
    {
        await using var api = await StartAsync();
        await api.Client.SendAsync(Post("sub=user-1"));
        var subjectScope = Assert.Single(await api.OperationsAsync()).TenantId;

        var impostor = await api.Client.SendAsync(Post("tenant_id=" + subjectScope));

        Assert.Equal(HttpStatusCode.Accepted, impostor.StatusCode);
        Assert.Null(impostor.Header("Idempotent-Replayed"));
        Assert.Equal(2, (await api.OperationsAsync()).Select(o => o.TenantId).Distinct().Count());
    }

    [SkippableFact]
    public async Task Authenticated_principal_with_neither_tenant_nor_subject_is_refused_with_403_and_nothing_is_stored()
    {
        await using var api = await StartAsync();

        var nameOnly = await api.Client.SendAsync(Post("name=bob"));
        var noClaims = await api.Client.SendAsync(Post(""));
        var status = await api.Client.SendAsync(ClaimsAuthentication.Authorize(Http.Get("/operations/" + Inbox.Operations.RandomIds.NewOperationId()), "name=bob"));

        foreach (var response in new[] { nameOnly, noClaims, status })
        {
            Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
            var (code, message) = await response.ErrorAsync();
            Assert.Equal("tenant_unresolved", code);
            Assert.Contains("neither", message);
        }

        Assert.Empty(await api.OperationsAsync());
        Assert.Empty(api.Publisher.Published);
    }
}

public sealed class PostgresPrincipalScopeTests : PrincipalScopeTests
{
    protected override DatabaseKind Kind => DatabaseKind.PostgreSql;
}

public sealed class SqlitePrincipalScopeTests : PrincipalScopeTests
{
    protected override DatabaseKind Kind => DatabaseKind.Sqlite;
}
