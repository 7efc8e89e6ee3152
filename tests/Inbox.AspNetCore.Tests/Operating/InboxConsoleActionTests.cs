using System.Diagnostics.Metrics;
using System.Net;
using System.Text.Json;
using Inbox.AspNetCore.Tests.Support;
using Inbox.Diagnostics;
using Inbox.EntityFrameworkCore.Model;
using Inbox.Operations;
using Inbox.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;

namespace Inbox.AspNetCore.Tests.Operating;

/// <summary>
/// The operations console's failure groups and actions over real HTTP and a real database of each provider:
/// operations accepted through the real accept endpoint, their failures, leases and inbox entries written through the
/// model, the publisher a recording one (the broker round trip is in ConsoleRedriveEndToEndTests).
/// </summary>
public abstract class InboxConsoleActionTests
{
    private const string Operator = "inbox-operator";
    private const string AllTenants = "inbox-all-tenants";
    private const string OpsTenant = "ops";
    private static readonly TimeSpan RelayDelay = TimeSpan.FromSeconds(30);

    protected abstract DatabaseKind Kind { get; }

    private async Task<TestApi> StartAsync() => await TestApi.StartAsync(
        await ContractDatabase.CreateAsync(Kind),
        configureStore: store => store.RelayDelay = RelayDelay,
        services: services =>
        {
            services.AddAuthorization(options =>
            {
                options.AddPolicy(Operator, policy => policy.RequireAuthenticatedUser());
                options.AddPolicy(AllTenants, policy => policy.RequireClaim("tenant_id", OpsTenant));
            });
            services.AddLogging(logging => logging.AddFakeLogging().SetMinimumLevel(LogLevel.Information));
        },
        endpoints: app => app.MapInboxConsole("/inbox", Operator, options => options.AllTenantsPolicy = AllTenants));

    private static async Task<string> AcceptAsync(TestApi api, string tenant, string key, string path = "/claims")
    {
        var response = await api.Client.SendAsync(Http.Post(path, Http.ValidClaim, key: key, tenant: tenant));
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var location = response.Headers.Location!.OriginalString;
        return location[(location.LastIndexOf('/') + 1)..];
    }

    private static async Task FailAsync(TestApi api, string id, string errorCode)
    {
        await using var db = api.CreateDbContext();
        Assert.Equal(1, await db.Set<InboxOperation>().Where(o => o.Id == id).ExecuteUpdateAsync(s => s
            .SetProperty(o => o.Status, OperationStatus.Failed)
            .SetProperty(o => o.ErrorCode, errorCode)
            .SetProperty(o => o.ErrorMessage, "The clearinghouse refused the claim.")
            .SetProperty(o => o.UpdatedAt, api.Time.GetUtcNow())
            .SetProperty(o => o.RelayAttempts, 4)));
    }

    private static async Task SetStatusAsync(TestApi api, string id, OperationStatus status)
    {
        await using var db = api.CreateDbContext();
        Assert.Equal(1, await db.Set<InboxOperation>().Where(o => o.Id == id).ExecuteUpdateAsync(s => s.SetProperty(o => o.Status, status)));
    }

    private static HttpRequestMessage Action(string path, string tenant, bool header = true)
    {
        var request = Http.Post(path, json: null, tenant: tenant);
        if (header)
        {
            request.Headers.Add("X-Inbox-Console", "1");
        }

        return request;
    }

    private static async Task<JsonElement> OkAsync(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("no-store", response.Headers.CacheControl?.ToString());
        return (await response.JsonAsync()).GetProperty("data");
    }

    private static async Task<int> RedrivenAsync(TestApi api, string path, string tenant) =>
        (await OkAsync(await api.Client.SendAsync(Action(path, tenant)))).GetProperty("redriven").GetInt32();

    private static async Task<InboxOperation> OperationAsync(TestApi api, string id) =>
        (await api.OperationsAsync()).Single(o => o.Id == id);

    // What an action must leave alone, row by row.
    private static async Task<List<string>> SnapshotAsync(TestApi api)
    {
        await using var db = api.CreateDbContext();
        var operations = await db.Set<InboxOperation>().AsNoTracking().ToListAsync();
        var entries = await db.Set<InboxEntry>().AsNoTracking().ToListAsync();
        return
        [
            .. operations.OrderBy(o => o.Id, StringComparer.Ordinal).Select(o =>
                $"{o.Id} {o.Status} {o.ErrorCode} {o.UpdatedAt:O} {o.RelayAt:O} {o.RelayAttempts} {o.LeaseToken} {o.LeaseExpiresAt:O}"),
            .. entries.OrderBy(e => e.Consumer, StringComparer.Ordinal).ThenBy(e => e.MessageKey, StringComparer.Ordinal).Select(e =>
                $"{e.Consumer} {e.MessageKey} {e.Status} {e.Attempt} {e.LeaseExpiresAt:O} {e.UpdatedAt:O}"),
        ];
    }

    [SkippableFact]
    public async Task Failures_are_grouped_by_error_code_and_endpoint_newest_group_first_with_each_group_s_newest_failure()
    {
        await using var api = await StartAsync();
        var rejectedFirst = await AcceptAsync(api, "org_a", "k1");
        var timedOut = await AcceptAsync(api, "org_a", "k2");
        var rejectedOther = await AcceptAsync(api, "org_a", "k3", "/other-claims");
        var rejectedLast = await AcceptAsync(api, "org_a", "k4");
        await AcceptAsync(api, "org_a", "k5");
        await FailAsync(api, rejectedFirst, "payer_rejected");
        api.FakeTime.Advance(TimeSpan.FromSeconds(1));
        await FailAsync(api, timedOut, "processing_failed");
        api.FakeTime.Advance(TimeSpan.FromSeconds(1));
        await FailAsync(api, rejectedOther, "payer_rejected");
        api.FakeTime.Advance(TimeSpan.FromSeconds(1));
        await FailAsync(api, rejectedLast, "payer_rejected");

        var groups = (await OkAsync(await api.Client.SendAsync(Http.Get("/inbox/failures", "org_a")))).GetProperty("groups").EnumerateArray().ToList();
        var onlyOther = (await OkAsync(await api.Client.SendAsync(Http.Get("/inbox/failures?endpoint=POST%20/other-claims", "org_a"))))
            .GetProperty("groups").EnumerateArray().ToList();

        Assert.Equal(
            [("payer_rejected", "POST /claims", 2L), ("payer_rejected", "POST /other-claims", 1L), ("processing_failed", "POST /claims", 1L)],
            groups.Select(g => (g.GetProperty("code").GetString(), g.GetProperty("endpoint").GetString(), g.GetProperty("count").GetInt64())));
        var newest = groups[0].GetProperty("newest");
        Assert.Equal(rejectedLast, newest.GetProperty("id").GetString());
        Assert.Equal("failed", newest.GetProperty("status").GetString());
        Assert.Equal("payer_rejected", newest.GetProperty("error_code").GetString());
        Assert.Equal("k4", newest.GetProperty("idempotency_key").GetString());
        Assert.Equal(timedOut, groups[2].GetProperty("newest").GetProperty("id").GetString());
        Assert.Equal([rejectedOther], onlyOther.Select(g => g.GetProperty("newest").GetProperty("id").GetString()));
    }

    [SkippableFact]
    public async Task Redrive_makes_a_failed_operation_accepted_again_and_publishes_its_stored_message()
    {
        await using var api = await StartAsync();
        var meters = api.Services.GetRequiredService<IMeterFactory>();
        using var actions = new MetricCollector<long>(meters, InboxDiagnostics.Name, InboxDiagnostics.ConsoleActions);
        var id = await AcceptAsync(api, "org_a", "k1");
        await FailAsync(api, id, "payer_rejected");
        var failedEntry = new InboxEntry
        {
            Consumer = "submit-claim", MessageKey = "op:" + id, OperationId = id, Status = OperationStatus.Failed, ClaimToken = "t1",
            Attempt = 3, ErrorCode = "payer_rejected", ErrorMessage = "The payer rejected the claim.",
            CreatedAt = api.Time.GetUtcNow(), UpdatedAt = api.Time.GetUtcNow(), ExpiresAt = api.Time.GetUtcNow().AddDays(2),
        };
        await using (var db = api.CreateDbContext())
        {
            db.Add(failedEntry);
            await db.SaveChangesAsync();
        }

        var publishedBefore = api.Publisher.Published.Count;
        api.FakeTime.Advance(TimeSpan.FromMinutes(5));

        var redriven = await RedrivenAsync(api, $"/inbox/operations/{id}/redrive", "org_a");

        Assert.Equal(1, redriven);
        var operation = await OperationAsync(api, id);
        Assert.Equal(OperationStatus.Accepted, operation.Status);
        Assert.Null(operation.ErrorCode);
        Assert.Null(operation.ErrorMessage);
        Assert.Equal(0, operation.RelayAttempts);
        Assert.Equal(api.Time.GetUtcNow() + RelayDelay, operation.RelayAt);
        Assert.Equal(api.Time.GetUtcNow(), operation.UpdatedAt);
        var republished = Assert.Single(api.Publisher.Published.Skip(publishedBefore));
        Assert.Equal(id, republished.OperationId);
        Assert.Equal(new SubmitClaim("pat_123", 12500), republished.Message);
        Assert.Equal(new OperationScope("org_a", "POST /claims"), republished.Scope);
        Assert.Equal("k1", republished.IdempotencyKey);

        // The failed entry is left for the next delivery to claim as a redrive.
        var entry = Assert.Single(await api.CreateDbContext().Set<InboxEntry>().AsNoTracking().ToListAsync());
        Assert.Equal((OperationStatus.Failed, 3), (entry.Status, entry.Attempt));

        var status = await api.Client.SendAsync(Http.Get("/operations/" + id, "org_a"));
        Assert.Equal("accepted", (await status.JsonAsync()).GetProperty("data").GetProperty("status").GetString());

        var measurement = Assert.Single(actions.GetMeasurementSnapshot());
        Assert.Equal(1, measurement.Value);
        Assert.Equal("redrive", measurement.Tags["inbox.console.action"]);
        var log = Assert.Single(api.Services.GetRequiredService<FakeLogCollector>().GetSnapshot(), r => r.Id.Name == "ConsoleRedrive");
        Assert.Contains("user-of-org_a", log.Message, StringComparison.Ordinal);
        Assert.Contains(id, log.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("pat_123", log.Message, StringComparison.Ordinal);
    }

    [SkippableTheory]
    [InlineData(OperationStatus.Succeeded, "succeeded")]
    [InlineData(OperationStatus.Accepted, "accepted")]
    [InlineData(OperationStatus.Processing, "processing")]
    public async Task Redriving_an_operation_that_is_not_failed_is_refused_and_changes_nothing(OperationStatus status, string wireName)
    {
        await using var api = await StartAsync();
        var id = await AcceptAsync(api, "org_a", "k1");
        await SetStatusAsync(api, id, status);
        var before = await SnapshotAsync(api);
        var publishedBefore = api.Publisher.Published.Count;

        var response = await api.Client.SendAsync(Action($"/inbox/operations/{id}/redrive", "org_a"));

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        var (code, message) = await response.ErrorAsync();
        Assert.Equal(InboxErrorCodes.OperationNotRedrivable, code);
        Assert.Contains(status == OperationStatus.Succeeded ? "never run again" : wireName, message, StringComparison.Ordinal);
        Assert.Equal(before, await SnapshotAsync(api));
        Assert.Equal(publishedBefore, api.Publisher.Published.Count);
    }

    [SkippableFact]
    public async Task Redriving_a_synchronous_endpoint_s_operation_or_an_expired_one_is_refused_and_changes_nothing()
    {
        await using var api = await StartAsync();
        var now = api.Time.GetUtcNow();
        var synchronous = RandomIds.NewOperationId();
        await using (var db = api.CreateDbContext())
        {
            db.Add(new InboxOperation
            {
                Id = synchronous, TenantId = "org_a", Endpoint = "POST /patients", IdempotencyKey = "k-sync", Fingerprint = new byte[32],
                Status = OperationStatus.Failed, RequestId = RandomIds.NewRequestId(), ResponseHeaders = "[]", MessageType = "",
                ErrorCode = "handler_failed", CreatedAt = now, UpdatedAt = now, ExpiresAt = now.AddHours(24), RelayAt = now.AddHours(24),
            });
            await db.SaveChangesAsync();
        }

        var expired = await AcceptAsync(api, "org_a", "k1", "/short-claims");
        await FailAsync(api, expired, "payer_rejected");
        api.FakeTime.Advance(TimeSpan.FromHours(2));
        var before = await SnapshotAsync(api);

        var noMessage = await api.Client.SendAsync(Action($"/inbox/operations/{synchronous}/redrive", "org_a"));
        var tooOld = await api.Client.SendAsync(Action($"/inbox/operations/{expired}/redrive", "org_a"));

        Assert.Equal(HttpStatusCode.Conflict, noMessage.StatusCode);
        Assert.Equal(InboxErrorCodes.OperationNotRedrivable, (await noMessage.ErrorAsync()).Code);
        Assert.Contains("synchronous endpoint", (await noMessage.ErrorAsync()).Message, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Conflict, tooOld.StatusCode);
        Assert.Contains("expired", (await tooOld.ErrorAsync()).Message, StringComparison.Ordinal);
        Assert.Equal(before, await SnapshotAsync(api));
    }

    [SkippableFact]
    public async Task Group_redrive_redrives_every_failure_of_that_code_and_endpoint_and_nothing_else()
    {
        await using var api = await StartAsync();
        var inGroup = new[] { await AcceptAsync(api, "org_a", "k1"), await AcceptAsync(api, "org_a", "k2") };
        var otherCode = await AcceptAsync(api, "org_a", "k3");
        var otherEndpoint = await AcceptAsync(api, "org_a", "k4", "/other-claims");
        var otherTenant = await AcceptAsync(api, "org_b", "k5");
        foreach (var id in inGroup.Append(otherEndpoint).Append(otherTenant))
        {
            await FailAsync(api, id, "payer_rejected");
        }

        await FailAsync(api, otherCode, "processing_failed");
        var publishedBefore = api.Publisher.Published.Count;

        var redriven = await RedrivenAsync(api, "/inbox/failures/redrive?code=payer_rejected&endpoint=POST%20/claims", "org_a");
        var again = await RedrivenAsync(api, "/inbox/failures/redrive?code=payer_rejected&endpoint=POST%20/claims", "org_a");

        Assert.Equal(2, redriven);
        Assert.Equal(0, again);
        var operations = (await api.OperationsAsync()).ToDictionary(o => o.Id, o => o.Status);
        Assert.All(inGroup, id => Assert.Equal(OperationStatus.Accepted, operations[id]));
        Assert.Equal(OperationStatus.Failed, operations[otherCode]);
        Assert.Equal(OperationStatus.Failed, operations[otherEndpoint]);
        Assert.Equal(OperationStatus.Failed, operations[otherTenant]);
        Assert.Equal(inGroup.Order(StringComparer.Ordinal), api.Publisher.Published.Skip(publishedBefore).Select(p => p.OperationId).Order(StringComparer.Ordinal));
    }

    [SkippableFact]
    public async Task A_redriven_operation_whose_publish_fails_is_left_due_for_the_relay()
    {
        await using var api = await StartAsync();
        var id = await AcceptAsync(api, "org_a", "k1");
        await FailAsync(api, id, "payer_rejected");
        api.Publisher.Fail = true;

        var redriven = await RedrivenAsync(api, $"/inbox/operations/{id}/redrive", "org_a");

        Assert.Equal(1, redriven);
        var operation = await OperationAsync(api, id);
        Assert.Equal(OperationStatus.Accepted, operation.Status);
        api.FakeTime.Advance(RelayDelay);
        await using var scope = api.Services.CreateAsyncScope();
        var due = await scope.ServiceProvider.GetRequiredService<Inbox.Stores.IOperationRelayStore>()
            .ClaimDueAsync(api.Time.GetUtcNow(), new Inbox.Publishing.RelayBackoff(RelayDelay, TimeSpan.FromMinutes(10)), 10, default);
        Assert.Equal([id], due.Select(p => p.OperationId));
    }

    [SkippableFact]
    public async Task A_group_redrive_whose_first_publish_fails_leaves_the_rest_to_the_relay_instead_of_waiting_on_each()
    {
        await using var api = await StartAsync();
        var ids = new[] { await AcceptAsync(api, "org_a", "k1"), await AcceptAsync(api, "org_a", "k2"), await AcceptAsync(api, "org_a", "k3") };
        foreach (var id in ids)
        {
            await FailAsync(api, id, "payer_rejected");
        }

        api.Publisher.Fail = true;
        var attemptsBefore = api.Publisher.Attempts;

        var redriven = await RedrivenAsync(api, "/inbox/failures/redrive?code=payer_rejected&endpoint=POST%20/claims", "org_a");

        Assert.Equal(3, redriven);
        Assert.Equal(1, api.Publisher.Attempts - attemptsBefore);
        api.FakeTime.Advance(RelayDelay);
        await using var scope = api.Services.CreateAsyncScope();
        var due = await scope.ServiceProvider.GetRequiredService<Inbox.Stores.IOperationRelayStore>()
            .ClaimDueAsync(api.Time.GetUtcNow(), new Inbox.Publishing.RelayBackoff(RelayDelay, TimeSpan.FromMinutes(10)), 10, default);
        Assert.Equal(ids.Order(StringComparer.Ordinal), due.Select(p => p.OperationId).Order(StringComparer.Ordinal));
    }

    [SkippableFact]
    public async Task Release_clears_expired_synchronous_leases_and_republishes_operations_whose_consumer_lease_expired_but_leaves_live_ones()
    {
        await using var api = await StartAsync();
        var now = api.Time.GetUtcNow();
        InboxOperation Synchronous(string key, DateTimeOffset leaseExpiresAt) => new()
        {
            Id = RandomIds.NewOperationId(), TenantId = "org_a", Endpoint = "POST /patients", IdempotencyKey = key, Fingerprint = new byte[32],
            Status = OperationStatus.Processing, RequestId = RandomIds.NewRequestId(), ResponseHeaders = "[]", MessageType = "",
            CreatedAt = now, UpdatedAt = now, ExpiresAt = now.AddHours(24), RelayAt = now.AddHours(24),
            LeaseToken = Guid.NewGuid().ToString("N"), LeaseExpiresAt = leaseExpiresAt,
        };
        var expiredSync = Synchronous("k-sync-1", now.AddSeconds(30));
        var liveSync = Synchronous("k-sync-2", now.AddMinutes(10));
        var stuck = await AcceptAsync(api, "org_a", "k1");
        var running = await AcceptAsync(api, "org_a", "k2");
        InboxEntry Entry(string operationId, DateTimeOffset leaseExpiresAt) => new()
        {
            Consumer = "fire-webhook", MessageKey = "op:" + operationId, OperationId = operationId, Status = OperationStatus.Processing,
            ClaimToken = Guid.NewGuid().ToString("N"), Attempt = 1, LeaseExpiresAt = leaseExpiresAt, CreatedAt = now, UpdatedAt = now, ExpiresAt = now.AddDays(2),
        };
        await using (var db = api.CreateDbContext())
        {
            db.AddRange(expiredSync, liveSync, Entry(stuck, now.AddSeconds(30)), Entry(running, now.AddMinutes(10)));
            await db.SaveChangesAsync();
            await db.Set<InboxOperation>().Where(o => o.Id == stuck || o.Id == running).ExecuteUpdateAsync(s => s
                .SetProperty(o => o.Status, OperationStatus.Processing)
                .SetProperty(o => o.RelayAt, now.AddHours(1)));
        }

        api.FakeTime.Advance(TimeSpan.FromMinutes(1));
        var publishedBefore = api.Publisher.Published.Count;

        var released = (await OkAsync(await api.Client.SendAsync(Action("/inbox/leases/release", "org_a")))).GetProperty("released").GetInt32();

        Assert.Equal(2, released);
        var operations = (await api.OperationsAsync()).ToDictionary(o => o.Id);
        Assert.Null(operations[expiredSync.Id].LeaseExpiresAt);
        Assert.Equal(expiredSync.LeaseToken, operations[expiredSync.Id].LeaseToken);
        Assert.Equal(OperationStatus.Processing, operations[expiredSync.Id].Status);
        Assert.Equal(liveSync.LeaseExpiresAt, operations[liveSync.Id].LeaseExpiresAt);
        Assert.Equal(api.Time.GetUtcNow() + RelayDelay, operations[stuck].RelayAt);
        Assert.Equal(now.AddHours(1), operations[running].RelayAt);
        Assert.Equal([stuck], api.Publisher.Published.Skip(publishedBefore).Select(p => p.OperationId));
        var entries = await api.CreateDbContext().Set<InboxEntry>().AsNoTracking().ToListAsync();
        Assert.All(entries, e => Assert.Equal(OperationStatus.Processing, e.Status));

        // The synchronous lease is gone now; the stuck entry stays expired until a delivery takes it over, so its
        // operation is republished again.
        var again = (await OkAsync(await api.Client.SendAsync(Action("/inbox/leases/release", "org_a")))).GetProperty("released").GetInt32();
        Assert.Equal(1, again);
    }

    [SkippableFact]
    public async Task A_lease_within_the_skew_margin_is_not_released()
    {
        await using var api = await StartAsync();
        var now = api.Time.GetUtcNow();
        await using (var db = api.CreateDbContext())
        {
            db.Add(new InboxOperation
            {
                Id = RandomIds.NewOperationId(), TenantId = "org_a", Endpoint = "POST /patients", IdempotencyKey = "k", Fingerprint = new byte[32],
                Status = OperationStatus.Processing, RequestId = RandomIds.NewRequestId(), ResponseHeaders = "[]", MessageType = "",
                CreatedAt = now, UpdatedAt = now, ExpiresAt = now.AddHours(24), RelayAt = now.AddHours(24),
                LeaseToken = "holder", LeaseExpiresAt = now.AddSeconds(10),
            });
            await db.SaveChangesAsync();
        }

        api.FakeTime.Advance(TimeSpan.FromSeconds(11));
        var before = await SnapshotAsync(api);

        var released = (await OkAsync(await api.Client.SendAsync(Action("/inbox/leases/release", "org_a")))).GetProperty("released").GetInt32();

        Assert.Equal(0, released);
        Assert.Equal(before, await SnapshotAsync(api));
    }

    [SkippableTheory]
    [InlineData("/inbox/operations/{id}/redrive")]
    [InlineData("/inbox/failures/redrive?code=payer_rejected&endpoint=POST%20/claims")]
    [InlineData("/inbox/leases/release")]
    public async Task Action_without_the_console_header_is_refused_and_changes_nothing(string path)
    {
        await using var api = await StartAsync();
        var id = await AcceptAsync(api, "org_a", "k1");
        await FailAsync(api, id, "payer_rejected");
        var before = await SnapshotAsync(api);
        var publishedBefore = api.Publisher.Published.Count;

        var response = await api.Client.SendAsync(Action(path.Replace("{id}", id, StringComparison.Ordinal), "org_a", header: false));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var (code, message) = await response.ErrorAsync();
        Assert.Equal(InboxErrorCodes.ConsoleActionHeaderRequired, code);
        Assert.Contains("X-Inbox-Console: 1", message, StringComparison.Ordinal);
        Assert.Equal(before, await SnapshotAsync(api));
        Assert.Equal(publishedBefore, api.Publisher.Published.Count);
    }

    [SkippableFact]
    public async Task Operator_of_another_tenant_cannot_see_or_redrive_and_gets_the_404_of_an_unknown_id()
    {
        await using var api = await StartAsync();
        var id = await AcceptAsync(api, "org_a", "k1");
        await FailAsync(api, id, "payer_rejected");
        var before = await SnapshotAsync(api);

        var failures = await OkAsync(await api.Client.SendAsync(Http.Get("/inbox/failures", "org_b")));
        var failuresOfA = await OkAsync(await api.Client.SendAsync(Http.Get("/inbox/failures?tenant=org_a", "org_b")));
        var redrive = await api.Client.SendAsync(Action($"/inbox/operations/{id}/redrive", "org_b"));
        var unknown = await api.Client.SendAsync(Action($"/inbox/operations/{RandomIds.NewOperationId()}/redrive", "org_b"));
        var group = await RedrivenAsync(api, "/inbox/failures/redrive?code=payer_rejected&endpoint=POST%20/claims", "org_b");
        var groupOfA = await RedrivenAsync(api, "/inbox/failures/redrive?code=payer_rejected&endpoint=POST%20/claims&tenant=org_a", "org_b");

        Assert.Empty(failures.GetProperty("groups").EnumerateArray());
        Assert.Empty(failuresOfA.GetProperty("groups").EnumerateArray());
        Assert.Equal(HttpStatusCode.NotFound, redrive.StatusCode);
        Assert.Equal(InboxErrorCodes.OperationNotFound, (await redrive.ErrorAsync()).Code);
        Assert.Equal(await unknown.ErrorAsync(), await redrive.ErrorAsync());
        Assert.Equal(0, group);
        Assert.Equal(0, groupOfA);
        Assert.Equal(before, await SnapshotAsync(api));

        // The all-tenants operator sees and redrives it.
        var all = await OkAsync(await api.Client.SendAsync(Http.Get("/inbox/failures?tenant=org_a", OpsTenant)));
        Assert.Single(all.GetProperty("groups").EnumerateArray());
        Assert.Equal(1, await RedrivenAsync(api, $"/inbox/operations/{id}/redrive", OpsTenant));
    }

    [SkippableTheory]
    [InlineData("GET", "/inbox/failures?status=failed", InboxErrorCodes.UnknownConsoleParameter)]
    [InlineData("GET", "/inbox/failures?endpoint=", InboxErrorCodes.InvalidConsoleEndpoint)]
    [InlineData("GET", "/inbox/failures?endpoint=a&endpoint=b", InboxErrorCodes.InvalidConsoleEndpoint)]
    [InlineData("GET", "/inbox/failures?tenant=", InboxErrorCodes.InvalidConsoleTenant)]
    [InlineData("GET", "/inbox/failures?tenant=%01", InboxErrorCodes.InvalidConsoleTenant)]
    [InlineData("POST", "/inbox/failures/redrive?endpoint=POST%20/claims", InboxErrorCodes.InvalidConsoleErrorCode)]
    [InlineData("POST", "/inbox/failures/redrive?code=&endpoint=POST%20/claims", InboxErrorCodes.InvalidConsoleErrorCode)]
    [InlineData("POST", "/inbox/failures/redrive?code=a&code=b&endpoint=POST%20/claims", InboxErrorCodes.InvalidConsoleErrorCode)]
    [InlineData("POST", "/inbox/failures/redrive?code=payer_rejected", InboxErrorCodes.InvalidConsoleEndpoint)]
    [InlineData("POST", "/inbox/failures/redrive?code=payer_rejected&endpoint=POST%20/claims&limit=5", InboxErrorCodes.UnknownConsoleParameter)]
    [InlineData("POST", "/inbox/operations/{id}/redrive?force=true", InboxErrorCodes.UnknownConsoleParameter)]
    [InlineData("POST", "/inbox/leases/release?tenant=", InboxErrorCodes.InvalidConsoleTenant)]
    public async Task Bad_input_to_failures_and_actions_is_a_400_with_its_code_and_changes_nothing(string method, string path, string code)
    {
        await using var api = await StartAsync();
        var id = await AcceptAsync(api, "org_a", "k1");
        await FailAsync(api, id, "payer_rejected");
        var before = await SnapshotAsync(api);
        path = path.Replace("{id}", id, StringComparison.Ordinal);

        var response = await api.Client.SendAsync(method == "GET" ? Http.Get(path, "org_a") : Action(path, "org_a"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(code, (await response.ErrorAsync()).Code);
        Assert.Equal(before, await SnapshotAsync(api));
    }

    [SkippableFact]
    public async Task Failures_and_actions_answer_503_with_retry_after_while_the_database_is_gone()
    {
        Skip.IfNot(Kind == DatabaseKind.PostgreSql, "The database is dropped under the running API.");
        await using var api = await StartAsync();
        var id = await AcceptAsync(api, "org_a", "k1");
        await api.Database.DisposeAsync();
        Npgsql.NpgsqlConnection.ClearAllPools();

        var responses = new[]
        {
            await api.Client.SendAsync(Http.Get("/inbox/failures", "org_a")),
            await api.Client.SendAsync(Action($"/inbox/operations/{id}/redrive", "org_a")),
            await api.Client.SendAsync(Action("/inbox/failures/redrive?code=payer_rejected&endpoint=POST%20/claims", "org_a")),
            await api.Client.SendAsync(Action("/inbox/leases/release", "org_a")),
        };

        Assert.All(responses, response => Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode));
        Assert.All(responses, response => Assert.NotNull(response.Header("Retry-After")));
        foreach (var response in responses)
        {
            Assert.Equal(InboxErrorCodes.ServiceUnavailable, (await response.ErrorAsync()).Code);
        }
    }

    [SkippableFact]
    public async Task Redrive_of_an_unknown_or_malformed_id_is_the_detail_route_s_404()
    {
        await using var api = await StartAsync();

        var unknown = await api.Client.SendAsync(Action($"/inbox/operations/{RandomIds.NewOperationId()}/redrive", "org_a"));
        var malformed = await api.Client.SendAsync(Action("/inbox/operations/not-an-id/redrive", "org_a"));
        var detail = await api.Client.SendAsync(Http.Get($"/inbox/operations/{RandomIds.NewOperationId()}", "org_a"));

        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, malformed.StatusCode);
        Assert.Equal(await detail.ErrorAsync(), await unknown.ErrorAsync());
        Assert.Equal(await detail.ErrorAsync(), await malformed.ErrorAsync());
    }
}

public sealed class PostgresInboxConsoleActionTests : InboxConsoleActionTests
{
    protected override DatabaseKind Kind => DatabaseKind.PostgreSql;
}

public sealed class SqliteInboxConsoleActionTests : InboxConsoleActionTests
{
    protected override DatabaseKind Kind => DatabaseKind.Sqlite;
}

public sealed class SqlServerInboxConsoleActionTests : InboxConsoleActionTests
{
    protected override DatabaseKind Kind => DatabaseKind.SqlServer;
}
