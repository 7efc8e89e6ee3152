using System.Net;
using Inbox.AspNetCore.Tests.Support;
using Inbox.EntityFrameworkCore.Model;
using Inbox.Operations;
using Inbox.Testing;
using Microsoft.EntityFrameworkCore;

namespace Inbox.AspNetCore.Tests.Status;

/// <summary>DESIGN.md's status endpoint, against a real database of each provider.</summary>
public abstract class OperationStatusTests
{
    protected abstract DatabaseKind Kind { get; }

    private async Task<TestApi> StartAsync() => await TestApi.StartAsync(await ContractDatabase.CreateAsync(Kind));

    private static async Task<string> AcceptAsync(TestApi api, string key = "key-1", string? tenant = null)
    {
        var response = await api.Client.SendAsync(Http.Post("/claims", Http.ValidClaim, key: key, tenant: tenant));
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        return response.Headers.Location!.OriginalString;
    }

    private static async Task SetOutcomeAsync(TestApi api, string location, OperationStatus status, string? result, string? errorCode = null, string? errorMessage = null)
    {
        var id = location[(location.LastIndexOf('/') + 1)..];
        await using var db = api.CreateDbContext();
        var updated = await db.Set<InboxOperation>().Where(o => o.Id == id).ExecuteUpdateAsync(s => s
            .SetProperty(o => o.Status, status)
            .SetProperty(o => o.Result, result)
            .SetProperty(o => o.ErrorCode, errorCode)
            .SetProperty(o => o.ErrorMessage, errorMessage)
            .SetProperty(o => o.UpdatedAt, new DateTimeOffset(2026, 11, 23, 9, 0, 3, TimeSpan.Zero)));
        Assert.Equal(1, updated);
    }

    [SkippableFact]
    public async Task Accepted_operation_reads_accepted_with_retry_after()
    {
        await using var api = await StartAsync();
        var location = await AcceptAsync(api);

        var response = await api.Client.SendAsync(Http.Get(location));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("1", response.Header("Retry-After"));
        var body = await response.JsonAsync();
        var data = body.GetProperty("data");
        Assert.Equal(location[(location.LastIndexOf('/') + 1)..], data.GetProperty("id").GetString());
        Assert.Equal("accepted", data.GetProperty("status").GetString());
        Assert.Equal("2026-11-23T09:00:00.000Z", data.GetProperty("created_at").GetString());
        Assert.Equal("2026-11-23T09:00:00.000Z", data.GetProperty("updated_at").GetString());
        Assert.Equal(System.Text.Json.JsonValueKind.Null, data.GetProperty("result").ValueKind);
        Assert.Equal(System.Text.Json.JsonValueKind.Null, data.GetProperty("error").ValueKind);
        Assert.StartsWith("req_", body.GetProperty("meta").GetProperty("request_id").GetString());
    }

    [SkippableFact]
    public async Task Processing_operation_reads_processing_with_retry_after_and_no_result()
    {
        await using var api = await StartAsync();
        var location = await AcceptAsync(api);
        await SetOutcomeAsync(api, location, OperationStatus.Processing, result: null);

        var response = await api.Client.SendAsync(Http.Get(location));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("1", response.Header("Retry-After"));
        var data = (await response.JsonAsync()).GetProperty("data");
        Assert.Equal("processing", data.GetProperty("status").GetString());
        Assert.Equal("2026-11-23T09:00:03.000Z", data.GetProperty("updated_at").GetString());
        Assert.Equal(System.Text.Json.JsonValueKind.Null, data.GetProperty("result").ValueKind);
        Assert.Equal(System.Text.Json.JsonValueKind.Null, data.GetProperty("error").ValueKind);
    }

    [SkippableFact]
    public async Task Succeeded_operation_shows_its_result_and_the_same_data_on_every_read()
    {
        await using var api = await StartAsync();
        var location = await AcceptAsync(api);
        await SetOutcomeAsync(api, location, OperationStatus.Succeeded, """{"claim_id":"clm_42"}""");

        var first = await api.Client.SendAsync(Http.Get(location));
        api.FakeTime.Advance(TimeSpan.FromMinutes(5));
        var second = await api.Client.SendAsync(Http.Get(location));

        Assert.Null(first.Header("Retry-After"));
        var firstBody = await first.JsonAsync();
        var secondBody = await second.JsonAsync();
        Assert.Equal("succeeded", firstBody.GetProperty("data").GetProperty("status").GetString());
        Assert.Equal("clm_42", firstBody.GetProperty("data").GetProperty("result").GetProperty("claim_id").GetString());
        Assert.Equal("2026-11-23T09:00:03.000Z", firstBody.GetProperty("data").GetProperty("updated_at").GetString());
        Assert.Equal(firstBody.GetProperty("data").GetRawText(), secondBody.GetProperty("data").GetRawText());
        Assert.NotEqual(
            firstBody.GetProperty("meta").GetProperty("request_id").GetString(),
            secondBody.GetProperty("meta").GetProperty("request_id").GetString());
    }

    [SkippableFact]
    public async Task Failed_operation_shows_its_error()
    {
        await using var api = await StartAsync();
        var location = await AcceptAsync(api);
        await SetOutcomeAsync(api, location, OperationStatus.Failed, null, "payer_rejected", "The payer rejected the claim.");

        var response = await api.Client.SendAsync(Http.Get(location));

        var data = (await response.JsonAsync()).GetProperty("data");
        Assert.Equal("failed", data.GetProperty("status").GetString());
        Assert.Equal("payer_rejected", data.GetProperty("error").GetProperty("code").GetString());
        Assert.Equal("The payer rejected the claim.", data.GetProperty("error").GetProperty("message").GetString());
        Assert.Null(response.Header("Retry-After"));
    }

    [SkippableFact]
    public async Task Unknown_malformed_expired_and_foreign_operations_are_the_same_404()
    {
        await using var api = await StartAsync();
        var mine = await AcceptAsync(api, key: "key-a", tenant: "org_a");
        var expiring = await AcceptAsync(api, key: "key-b", tenant: "org_a");
        var unknownId = RandomIds.NewOperationId();

        var foreign = await api.Client.SendAsync(Http.Get(mine, tenant: "org_b"));
        var unknown = await api.Client.SendAsync(Http.Get("/operations/" + unknownId, tenant: "org_a"));
        var malformed = await api.Client.SendAsync(Http.Get("/operations/op_not-an-id", tenant: "org_a"));
        api.FakeTime.Advance(TimeSpan.FromHours(24));
        var expired = await api.Client.SendAsync(Http.Get(expiring, tenant: "org_a"));

        var answers = new[] { foreign, unknown, malformed, expired };
        Assert.All(answers, r => Assert.Equal(HttpStatusCode.NotFound, r.StatusCode));
        var errors = await Task.WhenAll(answers.Select(r => r.ErrorAsync()));
        Assert.All(errors, e => Assert.Equal(("operation_not_found", "No operation with this id was found."), e));
    }

    [SkippableFact]
    public async Task Tenant_reads_its_own_operation()
    {
        await using var api = await StartAsync();
        var mine = await AcceptAsync(api, tenant: "org_a");

        var response = await api.Client.SendAsync(Http.Get(mine, tenant: "org_a"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }
}

public sealed class PostgresOperationStatusTests : OperationStatusTests
{
    protected override DatabaseKind Kind => DatabaseKind.PostgreSql;
}

public sealed class SqliteOperationStatusTests : OperationStatusTests
{
    protected override DatabaseKind Kind => DatabaseKind.Sqlite;
}

public sealed class SqlServerOperationStatusTests : OperationStatusTests
{
    protected override DatabaseKind Kind => DatabaseKind.SqlServer;
}
