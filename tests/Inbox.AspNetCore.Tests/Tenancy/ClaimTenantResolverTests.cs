using System.Security.Claims;
using Inbox.AspNetCore.Tenancy;
using Inbox.Operations;
using Microsoft.AspNetCore.Http;

namespace Inbox.AspNetCore.Tests.Tenancy;

public sealed class ClaimTenantResolverTests
{
    private static string? Resolve(ClaimsPrincipal user, TenantOptions? options = null)
    {
        var resolver = new ClaimTenantResolver(Microsoft.Extensions.Options.Options.Create(options ?? new TenantOptions()));
        var task = resolver.ResolveTenantAsync(new DefaultHttpContext { User = user });
        Assert.True(task.IsCompleted);
        return task.Result;
    }

    private static ClaimsPrincipal Authenticated(params Claim[] claims) => new(new ClaimsIdentity(claims, "test"));

    [Fact]
    public void Anonymous_callers_share_the_empty_tenant()
    {
        Assert.Null(Resolve(new ClaimsPrincipal(new ClaimsIdentity())));
        Assert.Null(Resolve(new ClaimsPrincipal(new ClaimsIdentity([new Claim("tenant_id", "acme")]))));
    }

    [Fact]
    public void The_tenant_claim_names_the_tenant()
    {
        Assert.Equal("acme", Resolve(Authenticated(new Claim("tenant_id", "acme"), new Claim("sub", "user-1"))));
        Assert.Equal("acme", Resolve(Authenticated(new Claim("org", "acme")), new TenantOptions { ClaimType = "org" }));
    }

    [Fact]
    public void Without_a_tenant_claim_the_subject_scopes_the_principal_never_its_name()
    {
        var bySub = Resolve(Authenticated(new Claim("sub", "user-1"), new Claim(ClaimTypes.Name, "acme")));
        var byNameIdentifier = Resolve(Authenticated(new Claim(ClaimTypes.NameIdentifier, "user-1")));

        Assert.NotNull(bySub);
        Assert.StartsWith("~sub:", bySub);
        Assert.DoesNotContain("acme", bySub);
        Assert.Equal(bySub, byNameIdentifier);
        Assert.NotEqual(bySub, Resolve(Authenticated(new Claim("sub", "user-2"))));
    }

    [Fact]
    public void The_same_subject_from_another_issuer_is_another_principal()
    {
        var local = Resolve(Authenticated(new Claim("sub", "user-1")));
        var other = Resolve(Authenticated(new Claim("sub", "user-1", ClaimValueTypes.String, "https://other.example")));

        Assert.NotEqual(local, other);
    }

    [Fact]
    public void An_empty_tenant_claim_is_no_tenant()
    {
        Assert.Equal(
            Resolve(Authenticated(new Claim("sub", "user-1"))),
            Resolve(Authenticated(new Claim("tenant_id", ""), new Claim("sub", "user-1"))));
    }

    [Theory]
    [InlineData("~sub:x")]
    [InlineData("~")]
    [InlineData("~~tenant")]
    public void A_tenant_claim_that_starts_like_a_generated_scope_is_escaped_so_it_cannot_collide(string claim)
    {
        var tenant = Resolve(Authenticated(new Claim("tenant_id", claim)));

        Assert.Equal("~" + claim, tenant);
    }

    [Fact]
    public void Subject_scopes_cannot_be_produced_by_any_tenant_claim()
    {
        var subjectScope = Resolve(Authenticated(new Claim("sub", "user-1")))!;

        Assert.NotEqual(subjectScope, Resolve(Authenticated(new Claim("tenant_id", subjectScope))));
    }

    [Fact]
    public void Long_subjects_and_tenants_fit_the_scope_and_stay_distinct()
    {
        var longSubject = Resolve(Authenticated(new Claim("sub", new string('s', 5000))))!;
        var otherLongSubject = Resolve(Authenticated(new Claim("sub", new string('s', 4999) + "t")))!;
        var longTenant = Resolve(Authenticated(new Claim("tenant_id", new string('t', 201))))!;
        var escapedAtTheLimit = Resolve(Authenticated(new Claim("tenant_id", "~" + new string('t', OperationScope.MaxTenantLength - 1))))!;
        var atTheLimit = new string('t', OperationScope.MaxTenantLength);

        Assert.All(new[] { longSubject, otherLongSubject, longTenant, escapedAtTheLimit }, t => Assert.InRange(t.Length, 1, OperationScope.MaxTenantLength));
        Assert.NotEqual(longSubject, otherLongSubject);
        Assert.StartsWith("~tenant:", longTenant);
        Assert.StartsWith("~tenant:", escapedAtTheLimit);
        Assert.Equal(atTheLimit, Resolve(Authenticated(new Claim("tenant_id", atTheLimit))));
    }

    [Fact]
    public void An_authenticated_principal_with_neither_tenant_nor_subject_is_refused()
    {
        var refused = Assert.Throws<TenantUnresolvedException>(() => Resolve(Authenticated(new Claim(ClaimTypes.Name, "bob"))));

        Assert.Contains("tenant_id", refused.Message);
        Assert.Contains("sub", refused.Message);
    }
}
