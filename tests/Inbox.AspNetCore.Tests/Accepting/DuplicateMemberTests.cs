using System.Net;
using Inbox.AspNetCore.Tests.Support;
using Inbox.Testing;

namespace Inbox.AspNetCore.Tests.Accepting;

/// <summary>
/// A JSON body that names one member twice (ignoring case, as the binder reads names) is refused with 400 before
/// anything is stored: the canonical form cannot tell which value the binder used. Over real HTTP.
/// </summary>
public abstract class DuplicateMemberTests
{
    protected abstract DatabaseKind Kind { get; }

    [SkippableTheory]
    [InlineData("""{"patientId": "pat_123", "amountCents": 1, "AmountCents": 2}""")]
    [InlineData("""{"patientId": "pat_123", "AmountCents": 2, "amountCents": 1}""")]
    [InlineData("""{"patientId": "pat_123", "amountCents": 1, "amountCents": 1}""")]
    [InlineData("""{"patientId": "pat_123", "amountCents": 1, "extra": [{"a": 1}, {"b": {"note": 1, "NOTE": 2}}]}""")]
    public async Task Body_with_a_duplicate_member_name_is_400_and_nothing_is_stored_or_published(string body)
    {
        await using var api = await TestApi.StartAsync(await ContractDatabase.CreateAsync(Kind), kestrel: true);

        var withKey = await api.Client.SendAsync(Http.Post("/claims", body, key: "key-1"));
        var withoutKey = await api.Client.SendAsync(Http.Post("/claims", body));

        foreach (var response in new[] { withKey, withoutKey })
        {
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            var (code, message) = await response.ErrorAsync();
            Assert.Equal("duplicate_json_member", code);
            Assert.Contains("more than once", message);
        }

        Assert.Empty(await api.OperationsAsync());
        Assert.Empty(api.Publisher.Published);

        var corrected = await api.Client.SendAsync(Http.Post("/claims", Http.ValidClaim, key: "key-1"));
        Assert.Equal(HttpStatusCode.Accepted, corrected.StatusCode);
        Assert.Null(corrected.Header("Idempotent-Replayed"));
    }

    [SkippableFact]
    public async Task Distinct_names_that_differ_from_each_other_are_accepted()
    {
        await using var api = await TestApi.StartAsync(await ContractDatabase.CreateAsync(Kind), kestrel: true);

        var response = await api.Client.SendAsync(Http.Post(
            "/claims", """{"patientId": "pat_123", "amountCents": 1, "extra": {"a": {"x": 1}, "b": {"x": 2}}}""", key: "key-1"));

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
    }
}

public sealed class PostgresDuplicateMemberTests : DuplicateMemberTests
{
    protected override DatabaseKind Kind => DatabaseKind.PostgreSql;
}

public sealed class SqliteDuplicateMemberTests : DuplicateMemberTests
{
    protected override DatabaseKind Kind => DatabaseKind.Sqlite;
}
