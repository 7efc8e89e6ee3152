using System.Net;
using Inbox.AspNetCore.Tests.Support;
using Inbox.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Inbox.AspNetCore.Tests.Accepting;

/// <summary>
/// The route values and the query string are part of the request fingerprint (DESIGN: Fingerprint): one key and body
/// sent to another account, or with another query, is another request, never a replay of the first. Over real HTTP.
/// </summary>
public abstract class RouteAndQueryFingerprintTests
{
    protected abstract DatabaseKind Kind { get; }

    private async Task<TestApi> StartAsync() => await TestApi.StartAsync(
        await ContractDatabase.CreateAsync(Kind),
        kestrel: true,
        endpoints: app =>
        {
            app.MapPost("/accounts/{account}/payments", (string account, ClaimRequest request) =>
                    InboxResults.Accept(new SubmitClaim(account + ":" + request.PatientId, request.AmountCents)))
                .WithIdempotency();
            app.MapPost("/payments", (HttpRequest http, ClaimRequest request) =>
                    InboxResults.Accept(new SubmitClaim(http.QueryString.Value + ":" + request.PatientId, request.AmountCents)))
                .WithIdempotency();
        });

    [SkippableFact]
    public async Task Same_key_and_body_for_another_route_value_is_409_mismatch_and_not_a_replay_of_the_first()
    {
        await using var api = await StartAsync();
        var forA = await api.Client.SendAsync(Http.Post("/accounts/A/payments", Http.ValidClaim, key: "key-1"));

        var forB = await api.Client.SendAsync(Http.Post("/accounts/B/payments", Http.ValidClaim, key: "key-1"));

        Assert.Equal(HttpStatusCode.Accepted, forA.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, forB.StatusCode);
        Assert.Null(forB.Header("Idempotent-Replayed"));
        Assert.Equal("idempotency_key_mismatched_body", (await forB.ErrorAsync()).Code);
        Assert.Equal(new SubmitClaim("A:pat_123", 12500), Assert.Single(api.Publisher.Published).Message);
        Assert.Single(await api.OperationsAsync());
    }

    [SkippableFact]
    public async Task Same_key_body_and_route_value_replays()
    {
        await using var api = await StartAsync();
        var first = await api.Client.SendAsync(Http.Post("/accounts/A/payments", Http.ValidClaim, key: "key-1"));

        var retry = await api.Client.SendAsync(Http.Post("/accounts/A/payments", Http.ValidClaim, key: "key-1"));

        Assert.Equal("true", retry.Header("Idempotent-Replayed"));
        Assert.Equal(await first.Content.ReadAsByteArrayAsync(), await retry.Content.ReadAsByteArrayAsync());
    }

    [SkippableFact]
    public async Task Route_values_differing_only_by_case_are_other_requests()
    {
        await using var api = await StartAsync();
        await api.Client.SendAsync(Http.Post("/accounts/acct-a/payments", Http.ValidClaim, key: "key-1"));

        var other = await api.Client.SendAsync(Http.Post("/accounts/ACCT-A/payments", Http.ValidClaim, key: "key-1"));

        Assert.Equal(HttpStatusCode.Conflict, other.StatusCode);
    }

    [SkippableFact]
    public async Task Same_key_and_body_with_another_query_string_is_409_mismatch()
    {
        await using var api = await StartAsync();
        var first = await api.Client.SendAsync(Http.Post("/payments?account=A", Http.ValidClaim, key: "key-1"));

        var otherValue = await api.Client.SendAsync(Http.Post("/payments?account=B", Http.ValidClaim, key: "key-1"));
        var noQuery = await api.Client.SendAsync(Http.Post("/payments", Http.ValidClaim, key: "key-1"));
        var extraValue = await api.Client.SendAsync(Http.Post("/payments?account=A&account=B", Http.ValidClaim, key: "key-1"));

        Assert.Equal(HttpStatusCode.Accepted, first.StatusCode);
        Assert.Equal(
            [HttpStatusCode.Conflict, HttpStatusCode.Conflict, HttpStatusCode.Conflict],
            new[] { otherValue.StatusCode, noQuery.StatusCode, extraValue.StatusCode });
        Assert.Single(api.Publisher.Published);
    }

    [SkippableFact]
    public async Task Query_parameters_in_another_order_or_encoding_replay_but_repeated_values_keep_their_order()
    {
        await using var api = await StartAsync();
        var first = await api.Client.SendAsync(Http.Post("/payments?account=A&note=a+b&tag=1&tag=2", Http.ValidClaim, key: "key-1"));

        var reordered = await api.Client.SendAsync(Http.Post("/payments?tag=1&note=a%20b&tag=2&account=%41", Http.ValidClaim, key: "key-1"));
        var valuesSwapped = await api.Client.SendAsync(Http.Post("/payments?account=A&note=a+b&tag=2&tag=1", Http.ValidClaim, key: "key-1"));

        Assert.Equal(HttpStatusCode.Accepted, first.StatusCode);
        Assert.Equal("true", reordered.Header("Idempotent-Replayed"));
        Assert.Equal(await first.Content.ReadAsByteArrayAsync(), await reordered.Content.ReadAsByteArrayAsync());
        Assert.Equal(HttpStatusCode.Conflict, valuesSwapped.StatusCode);
        Assert.Single(api.Publisher.Published);
    }
}

public sealed class PostgresRouteAndQueryFingerprintTests : RouteAndQueryFingerprintTests
{
    protected override DatabaseKind Kind => DatabaseKind.PostgreSql;
}

public sealed class SqliteRouteAndQueryFingerprintTests : RouteAndQueryFingerprintTests
{
    protected override DatabaseKind Kind => DatabaseKind.Sqlite;
}
