using System.Net;
using System.Text.Json;
using Inbox.AspNetCore.Tests.Support;
using Inbox.EntityFrameworkCore.Model;
using Inbox.Operations;
using Inbox.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Inbox.AspNetCore.Tests.Operating;

/// <summary>
/// The operations console (DESIGN.md "Operations console") over real HTTP and a real database of each provider:
/// operations are accepted through the real accept endpoint, inbox entries written through the model.
/// </summary>
public abstract class InboxConsoleTests
{
    private const string Operator = "inbox-operator";
    private const string AllTenants = "inbox-all-tenants";

    // Tenant "ops" is the all-tenants operator; every other authenticated tenant operates its own operations only.
    private const string OpsTenant = "ops";

    protected abstract DatabaseKind Kind { get; }

    private async Task<TestApi> StartAsync(Action<InboxConsoleOptions>? configure = null) => await TestApi.StartAsync(
        await ContractDatabase.CreateAsync(Kind),
        services: services => services.AddAuthorization(options =>
        {
            options.AddPolicy(Operator, policy => policy.RequireAuthenticatedUser());
            options.AddPolicy(AllTenants, policy => policy.RequireClaim("tenant_id", OpsTenant));
        }),
        endpoints: app => app.MapInboxConsole("/inbox", Operator, options =>
        {
            options.AllTenantsPolicy = AllTenants;
            configure?.Invoke(options);
        }));

    private static async Task<string> AcceptAsync(TestApi api, string tenant, string key, string path = "/claims")
    {
        var response = await api.Client.SendAsync(Http.Post(path, Http.ValidClaim, key: key, tenant: tenant));
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var location = response.Headers.Location!.OriginalString;
        return location[(location.LastIndexOf('/') + 1)..];
    }

    private static async Task<JsonElement> GetOkAsync(TestApi api, string path, string tenant)
    {
        var response = await api.Client.SendAsync(Http.Get(path, tenant));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("no-store", response.Headers.CacheControl?.ToString());
        return (await response.JsonAsync()).GetProperty("data");
    }

    private static async Task FailAsync(TestApi api, string id, string errorCode)
    {
        await using var db = api.CreateDbContext();
        Assert.Equal(1, await db.Set<InboxOperation>().Where(o => o.Id == id).ExecuteUpdateAsync(s => s
            .SetProperty(o => o.Status, OperationStatus.Failed)
            .SetProperty(o => o.ErrorCode, errorCode)
            .SetProperty(o => o.ErrorMessage, "The clearinghouse refused the claim.")));
    }

    private static List<string> Ids(JsonElement list) => [.. list.EnumerateArray().Select(o => o.GetProperty("id").GetString()!)];

    [SkippableFact]
    public async Task Counts_show_each_endpoint_by_status_and_its_oldest_unfinished_operation()
    {
        await using var api = await StartAsync();
        await AcceptAsync(api, "org_a", "k1");
        api.FakeTime.Advance(TimeSpan.FromSeconds(30));
        var failed = await AcceptAsync(api, "org_a", "k2");
        await FailAsync(api, failed, "claim_rejected");
        await AcceptAsync(api, "org_a", "k3", "/other-claims");
        await AcceptAsync(api, "org_b", "k4");
        api.FakeTime.Advance(TimeSpan.FromSeconds(90));

        var data = await GetOkAsync(api, "/inbox/counts", "org_a");

        var endpoints = data.GetProperty("endpoints").EnumerateArray().ToList();
        Assert.Equal(["POST /claims", "POST /other-claims"], endpoints.Select(e => e.GetProperty("endpoint").GetString()));
        var claims = endpoints[0];
        Assert.Equal(1, claims.GetProperty("counts").GetProperty("accepted").GetInt64());
        Assert.Equal(0, claims.GetProperty("counts").GetProperty("processing").GetInt64());
        Assert.Equal(0, claims.GetProperty("counts").GetProperty("succeeded").GetInt64());
        Assert.Equal(1, claims.GetProperty("counts").GetProperty("failed").GetInt64());
        Assert.Equal("2026-11-23T09:00:00.000Z", claims.GetProperty("oldest_unfinished_at").GetString());
        Assert.Equal(120, claims.GetProperty("oldest_unfinished_age_seconds").GetInt64());
        Assert.Equal(60 + 30, endpoints[1].GetProperty("oldest_unfinished_age_seconds").GetInt64());
    }

    [SkippableFact]
    public async Task All_tenants_operator_counts_every_tenant_or_the_one_it_filters_by()
    {
        await using var api = await StartAsync();
        await AcceptAsync(api, "org_a", "k1");
        await AcceptAsync(api, "org_b", "k2");

        var all = await GetOkAsync(api, "/inbox/counts", OpsTenant);
        var onlyB = await GetOkAsync(api, "/inbox/counts?tenant=org_b", OpsTenant);

        Assert.Equal(2, all.GetProperty("endpoints")[0].GetProperty("counts").GetProperty("accepted").GetInt64());
        Assert.Equal(1, onlyB.GetProperty("endpoints")[0].GetProperty("counts").GetProperty("accepted").GetInt64());
    }

    [SkippableFact]
    public async Task List_is_newest_first_and_filters_by_status_endpoint_key_and_created_range()
    {
        await using var api = await StartAsync();
        var first = await AcceptAsync(api, "org_a", "k1");
        api.FakeTime.Advance(TimeSpan.FromMinutes(1));
        var second = await AcceptAsync(api, "org_a", "k2");
        await FailAsync(api, second, "claim_rejected");
        api.FakeTime.Advance(TimeSpan.FromMinutes(1));
        var third = await AcceptAsync(api, "org_a", "k3", "/other-claims");
        await AcceptAsync(api, "org_b", "k1");

        var all = await GetOkAsync(api, "/inbox/operations", "org_a");
        var failed = await GetOkAsync(api, "/inbox/operations?status=failed", "org_a");
        var other = await GetOkAsync(api, "/inbox/operations?endpoint=POST%20/other-claims", "org_a");
        var byKey = await GetOkAsync(api, "/inbox/operations?key=k1", "org_a");
        var range = await GetOkAsync(api, "/inbox/operations?created_from=2026-11-23T09:00:30Z&created_before=2026-11-23T10:01:30%2B01:00", "org_a");

        Assert.Equal([third, second, first], Ids(all));
        Assert.Equal([second], Ids(failed));
        Assert.Equal("claim_rejected", failed[0].GetProperty("error_code").GetString());
        Assert.Equal([third], Ids(other));
        Assert.Equal([first], Ids(byKey));
        Assert.Equal("org_a", byKey[0].GetProperty("tenant").GetString());
        Assert.Equal("k1", byKey[0].GetProperty("idempotency_key").GetString());
        Assert.Equal([second], Ids(range));
    }

    [SkippableFact]
    public async Task Keyset_paging_lists_every_operation_once_while_operations_are_inserted_between_pages()
    {
        await using var api = await StartAsync();
        var existing = new List<string>();
        for (var i = 0; i < 7; i++)
        {
            existing.Add(await AcceptAsync(api, "org_a", $"before-{i}"));
            if (i % 3 == 0)
            {
                api.FakeTime.Advance(TimeSpan.FromSeconds(1));
            }
        }

        // Pages of 2 split the groups of operations created in the same instant, so the cursor's id decides where
        // a page ends; half of the inserts between pages share the newest operations' instant, the rest are newer.
        var seen = new List<string>();
        string? after = null;
        var pages = 0;
        do
        {
            var response = await api.Client.SendAsync(Http.Get("/inbox/operations?limit=2" + (after is null ? "" : "&after=" + after), "org_a"));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var body = await response.JsonAsync();
            seen.AddRange(Ids(body.GetProperty("data")));
            after = body.GetProperty("next").GetString();
            pages++;

            if (pages % 2 == 0)
            {
                api.FakeTime.Advance(TimeSpan.FromSeconds(1));
            }

            await AcceptAsync(api, "org_a", $"during-{pages}");
        }
        while (after is not null);

        Assert.True(pages >= 4, $"{pages} pages");
        Assert.Equal(seen.Count, seen.Distinct().Count());
        Assert.Subset(seen.ToHashSet(), existing.ToHashSet());
    }

    [SkippableFact]
    public async Task Detail_shows_inbox_entries_and_relay_attempts_without_bodies()
    {
        await using var api = await StartAsync();
        var id = await AcceptAsync(api, "org_a", "k1");
        await FailAsync(api, id, "claim_rejected");
        var now = api.Time.GetUtcNow();
        await using (var db = api.CreateDbContext())
        {
            db.Add(new InboxEntry
            {
                Consumer = "submit-claim", MessageKey = "op:" + id, OperationId = id, Status = OperationStatus.Failed, ClaimToken = "t1",
                Attempt = 3, ErrorCode = "claim_rejected", ErrorMessage = "The clearinghouse refused the claim.",
                CreatedAt = now, UpdatedAt = now.AddSeconds(5), ExpiresAt = now.AddDays(2),
            });
            db.Add(new InboxEntry
            {
                Consumer = "notify-patient", MessageKey = "op:" + id, OperationId = id, Status = OperationStatus.Processing, ClaimToken = "t2",
                Attempt = 1, LeaseExpiresAt = now.AddMinutes(2), CreatedAt = now, UpdatedAt = now, ExpiresAt = now.AddDays(2),
            });
            await db.SaveChangesAsync();
            await db.Set<InboxOperation>().Where(o => o.Id == id).ExecuteUpdateAsync(s => s.SetProperty(o => o.RelayAttempts, 2));
        }

        var data = await GetOkAsync(api, "/inbox/operations/" + id, "org_a");

        Assert.Equal(id, data.GetProperty("id").GetString());
        Assert.Equal("failed", data.GetProperty("status").GetString());
        Assert.Equal("claim_rejected", data.GetProperty("error").GetProperty("code").GetString());
        Assert.Contains(nameof(SubmitClaim), data.GetProperty("message_type").GetString(), StringComparison.Ordinal);
        Assert.Equal(202, data.GetProperty("response_status").GetInt32());
        Assert.Equal(2, data.GetProperty("relay_attempts").GetInt32());
        var entries = data.GetProperty("inbox_entries").EnumerateArray().ToList();
        Assert.Equal(["notify-patient", "submit-claim"], entries.Select(e => e.GetProperty("consumer").GetString()));
        Assert.Equal("processing", entries[0].GetProperty("status").GetString());
        Assert.Equal("2026-11-23T09:02:00.000Z", entries[0].GetProperty("lease_expires_at").GetString());
        Assert.Equal(JsonValueKind.Null, entries[0].GetProperty("error").ValueKind);
        Assert.Equal(3, entries[1].GetProperty("attempt").GetInt32());
        Assert.Equal("The clearinghouse refused the claim.", entries[1].GetProperty("error").GetProperty("message").GetString());
        Assert.False(data.TryGetProperty("response_body", out _));
        Assert.False(data.TryGetProperty("message", out _));
        Assert.False(data.TryGetProperty("result", out _));
        Assert.DoesNotContain("pat_123", data.GetRawText(), StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task Detail_shows_bodies_when_the_application_opts_in()
    {
        await using var api = await StartAsync(options => options.IncludeBodies = true);
        var id = await AcceptAsync(api, "org_a", "k1");

        var data = await GetOkAsync(api, "/inbox/operations/" + id, "org_a");

        Assert.Contains("pat_123", data.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Contains(id, data.GetProperty("response_body").GetString(), StringComparison.Ordinal);
        Assert.Equal(JsonValueKind.Null, data.GetProperty("result").ValueKind);
    }

    [SkippableFact]
    public async Task Operator_of_another_tenant_sees_nothing_and_the_same_404_as_for_an_unknown_id()
    {
        await using var api = await StartAsync();
        var id = await AcceptAsync(api, "org_a", "k1");

        var counts = await GetOkAsync(api, "/inbox/counts", "org_b");
        var countsOfA = await GetOkAsync(api, "/inbox/counts?tenant=org_a", "org_b");
        var list = await GetOkAsync(api, "/inbox/operations", "org_b");
        var listOfA = await GetOkAsync(api, "/inbox/operations?tenant=org_a", "org_b");
        var detail = await api.Client.SendAsync(Http.Get("/inbox/operations/" + id, "org_b"));
        var unknown = await api.Client.SendAsync(Http.Get("/inbox/operations/" + RandomIds.NewOperationId(), "org_b"));
        var allTenants = await GetOkAsync(api, "/inbox/operations/" + id, OpsTenant);

        Assert.Empty(counts.GetProperty("endpoints").EnumerateArray());
        Assert.Empty(countsOfA.GetProperty("endpoints").EnumerateArray());
        Assert.Empty(list.EnumerateArray());
        Assert.Empty(listOfA.EnumerateArray());
        Assert.Equal(HttpStatusCode.NotFound, detail.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal(await unknown.ErrorAsync(), await detail.ErrorAsync());
        Assert.Equal(InboxErrorCodes.OperationNotFound, (await detail.ErrorAsync()).Code);
        Assert.Equal(id, allTenants.GetProperty("id").GetString());
    }

    [SkippableFact]
    public async Task Anonymous_caller_is_refused_by_the_policy()
    {
        await using var api = await StartAsync();
        await AcceptAsync(api, "org_a", "k1");

        var response = await api.Client.SendAsync(Http.Get("/inbox/operations"));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [SkippableTheory]
    [InlineData("/inbox/operations?stauts=failed", InboxErrorCodes.UnknownConsoleParameter)]
    [InlineData("/inbox/counts?status=failed", InboxErrorCodes.UnknownConsoleParameter)]
    [InlineData("/inbox/operations?status=done", InboxErrorCodes.InvalidConsoleStatus)]
    [InlineData("/inbox/operations?status=failed&status=accepted", InboxErrorCodes.InvalidConsoleStatus)]
    [InlineData("/inbox/operations?endpoint=", InboxErrorCodes.InvalidConsoleEndpoint)]
    [InlineData("/inbox/operations?tenant=", InboxErrorCodes.InvalidConsoleTenant)]
    [InlineData("/inbox/counts?tenant=%01", InboxErrorCodes.InvalidConsoleTenant)]
    [InlineData("/inbox/operations?key=a%20b", InboxErrorCodes.InvalidConsoleKey)]
    [InlineData("/inbox/operations?created_from=yesterday", InboxErrorCodes.InvalidConsoleCreatedRange)]
    [InlineData("/inbox/operations?created_before=2026-11-23T09:00:00", InboxErrorCodes.InvalidConsoleCreatedRange)]
    [InlineData("/inbox/operations?created_from=2026-11-23T10:00:00Z&created_before=2026-11-23T09:00:00Z", InboxErrorCodes.InvalidConsoleCreatedRange)]
    [InlineData("/inbox/operations?after=not-a-cursor", InboxErrorCodes.InvalidConsoleCursor)]
    [InlineData("/inbox/operations?limit=0", InboxErrorCodes.InvalidConsoleLimit)]
    [InlineData("/inbox/operations?limit=501", InboxErrorCodes.InvalidConsoleLimit)]
    [InlineData("/inbox/operations?limit=ten", InboxErrorCodes.InvalidConsoleLimit)]
    public async Task Bad_filter_is_a_400_with_its_code_and_changes_nothing(string path, string code)
    {
        await using var api = await StartAsync();
        await AcceptAsync(api, "org_a", "k1");
        var before = await api.OperationsAsync();

        var response = await api.Client.SendAsync(Http.Get(path, "org_a"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(code, (await response.ErrorAsync()).Code);
        var after = await api.OperationsAsync();
        Assert.Equal(before.Select(o => (o.Id, o.Status, o.UpdatedAt)), after.Select(o => (o.Id, o.Status, o.UpdatedAt)));
    }

    [SkippableFact]
    public async Task Mapping_without_a_policy_fails_at_start_up_saying_how_to_add_one()
    {
        await using var database = await ContractDatabase.CreateAsync(Kind);

        var exception = await Assert.ThrowsAsync<ArgumentException>(() => TestApi.StartAsync(
            database, endpoints: app => app.MapInboxConsole("/inbox", policy: "")));

        Assert.Contains("MapInboxConsole(\"/inbox\", policy: \"inbox-operator\")", exception.Message, StringComparison.Ordinal);
        Assert.Contains("AddPolicy(", exception.Message, StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task Mapping_behind_an_unregistered_policy_fails_at_start_up()
    {
        await using var database = await ContractDatabase.CreateAsync(Kind);

        var exception = await Assert.ThrowsAsync<InvalidOperationException>(() => TestApi.StartAsync(
            database, endpoints: app => app.MapInboxConsole("/inbox", policy: "inbox-operatr")));

        Assert.Contains("'inbox-operatr'", exception.Message, StringComparison.Ordinal);
        Assert.Contains("is not registered", exception.Message, StringComparison.Ordinal);
    }

    // The cached counts (CountsMaxAge): operations accepted after the counts were read stay uncounted until the
    // cache refreshes or an action drops it.
    private static async Task<(long Accepted, long Failed, string AsOf)> CountsAsync(TestApi api, string tenant, string query = "")
    {
        var response = await api.Client.SendAsync(Http.Get("/inbox/counts" + query, tenant));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var data = (await response.JsonAsync()).GetProperty("data");
        var endpoints = data.GetProperty("endpoints").EnumerateArray().ToList();
        var counts = endpoints.Count == 0 ? (JsonElement?)null : endpoints.Single().GetProperty("counts");
        return (counts?.GetProperty("accepted").GetInt64() ?? 0, counts?.GetProperty("failed").GetInt64() ?? 0, data.GetProperty("as_of").GetString()!);
    }

    private static async Task ActAsync(TestApi api, string path, string tenant)
    {
        using var request = Http.Post(path, json: null, tenant: tenant);
        request.Headers.Add("X-Inbox-Console", "1");
        Assert.Equal(HttpStatusCode.OK, (await api.Client.SendAsync(request)).StatusCode);
    }

    private static string Timestamp(DateTimeOffset value) => value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", System.Globalization.CultureInfo.InvariantCulture);

    [SkippableFact]
    public async Task Counts_are_served_from_the_cache_up_to_the_max_age_and_say_when_they_were_read()
    {
        await using var api = await StartAsync();
        await AcceptAsync(api, "org_a", "k1");
        var readAt = api.Time.GetUtcNow();
        Assert.Equal((1, 0, Timestamp(readAt)), await CountsAsync(api, "org_a"));
        await AcceptAsync(api, "org_a", "k2");

        api.FakeTime.Advance(InboxConsoleDefaults.CountsMaxAge);

        Assert.Equal((1, 0, Timestamp(readAt)), await CountsAsync(api, "org_a"));
    }

    [SkippableFact]
    public async Task Stale_counts_are_served_once_more_while_they_are_read_again()
    {
        await using var api = await StartAsync();
        await AcceptAsync(api, "org_a", "k1");
        var readAt = api.Time.GetUtcNow();
        await CountsAsync(api, "org_a");
        await AcceptAsync(api, "org_a", "k2");
        api.FakeTime.Advance(InboxConsoleDefaults.CountsMaxAge + TimeSpan.FromSeconds(1));
        var refreshedAt = api.Time.GetUtcNow();

        var stale = await CountsAsync(api, "org_a");
        var refreshed = await Eventually.ReturnsAsync("the refreshed counts", () => CountsAsync(api, "org_a"), counts => counts.Accepted == 2);

        Assert.Equal((1, 0, Timestamp(readAt)), stale);
        Assert.Equal(Timestamp(refreshedAt), refreshed.AsOf);
    }

    [SkippableFact]
    public async Task Counts_past_the_stale_limit_are_read_before_the_answer()
    {
        await using var api = await StartAsync();
        await AcceptAsync(api, "org_a", "k1");
        await CountsAsync(api, "org_a");
        await AcceptAsync(api, "org_a", "k2");

        api.FakeTime.Advance(InboxConsoleDefaults.CountsMaxAge * InboxConsoleDefaults.CountsStaleFactor);

        Assert.Equal((2, 0, Timestamp(api.Time.GetUtcNow())), await CountsAsync(api, "org_a"));
    }

    [SkippableFact]
    public async Task A_tenant_never_reads_another_tenants_cached_counts()
    {
        await using var api = await StartAsync();
        await AcceptAsync(api, "org_a", "k1");
        await AcceptAsync(api, "org_a", "k2");
        await AcceptAsync(api, "org_b", "k1");

        var orgA = await CountsAsync(api, "org_a");
        var all = await CountsAsync(api, OpsTenant);
        var orgB = await CountsAsync(api, "org_b");
        var orgBByTheAllTenantsOperator = await CountsAsync(api, OpsTenant, "?tenant=org_b");
        var orgAAsTheOtherTenant = await CountsAsync(api, "org_b", "?tenant=org_a");
        var orgC = await CountsAsync(api, "org_c");

        Assert.Equal(2, orgA.Accepted);
        Assert.Equal(3, all.Accepted);
        Assert.Equal(1, orgB.Accepted);
        Assert.Equal(1, orgBByTheAllTenantsOperator.Accepted);
        Assert.Equal(0, orgAAsTheOtherTenant.Accepted);
        Assert.Equal(0, orgC.Accepted);
    }

    [SkippableFact]
    public async Task A_redrive_drops_the_cached_counts_of_its_tenant_and_of_all_tenants()
    {
        await using var api = await StartAsync();
        var id = await AcceptAsync(api, "org_a", "k1");
        await AcceptAsync(api, "org_b", "k1");
        await FailAsync(api, id, "claim_rejected");

        Assert.Equal((0, 1), Statuses(await CountsAsync(api, "org_a")));
        Assert.Equal((1, 1), Statuses(await CountsAsync(api, OpsTenant)));
        var orgB = await CountsAsync(api, "org_b");
        await AcceptAsync(api, "org_b", "k2");
        api.FakeTime.Advance(TimeSpan.FromSeconds(1));

        await ActAsync(api, $"/inbox/operations/{id}/redrive", "org_a");

        Assert.Equal((1, 0, Timestamp(api.Time.GetUtcNow())), await CountsAsync(api, "org_a"));
        Assert.Equal((3, 0), Statuses(await CountsAsync(api, OpsTenant)));
        Assert.Equal(orgB, await CountsAsync(api, "org_b"));
    }

    [SkippableFact]
    public async Task An_action_of_an_all_tenants_operator_drops_every_tenants_cached_counts()
    {
        await using var api = await StartAsync();
        await AcceptAsync(api, "org_a", "k1");
        await CountsAsync(api, "org_a");
        await AcceptAsync(api, "org_a", "k2");

        await ActAsync(api, "/inbox/leases/release", OpsTenant);

        Assert.Equal(2, (await CountsAsync(api, "org_a")).Accepted);
    }

    [SkippableFact]
    public async Task A_zero_max_age_reads_the_counts_on_every_request()
    {
        await using var api = await StartAsync(options => options.CountsMaxAge = TimeSpan.Zero);
        await AcceptAsync(api, "org_a", "k1");
        await CountsAsync(api, "org_a");
        await AcceptAsync(api, "org_a", "k2");

        Assert.Equal((2, 0, Timestamp(api.Time.GetUtcNow())), await CountsAsync(api, "org_a"));
    }

    [SkippableFact]
    public async Task A_negative_max_age_fails_at_start_up()
    {
        await using var database = await ContractDatabase.CreateAsync(Kind);

        var exception = await Assert.ThrowsAsync<ArgumentException>(() => TestApi.StartAsync(
            database,
            services: services => services.AddAuthorization(options => options.AddPolicy(Operator, policy => policy.RequireAuthenticatedUser())),
            endpoints: app => app.MapInboxConsole("/inbox", Operator, options => options.CountsMaxAge = TimeSpan.FromSeconds(-1))));

        Assert.Equal(
            "InboxConsoleOptions.CountsMaxAge must not be negative; it is -00:00:01. TimeSpan.Zero reads the counts on every request. (Parameter 'configure')",
            exception.Message);
    }

    private static (long Accepted, long Failed) Statuses((long Accepted, long Failed, string AsOf) counts) => (counts.Accepted, counts.Failed);
}

public sealed class PostgresInboxConsoleTests : InboxConsoleTests
{
    protected override DatabaseKind Kind => DatabaseKind.PostgreSql;
}

public sealed class SqliteInboxConsoleTests : InboxConsoleTests
{
    protected override DatabaseKind Kind => DatabaseKind.Sqlite;
}

public sealed class SqlServerInboxConsoleTests : InboxConsoleTests
{
    protected override DatabaseKind Kind => DatabaseKind.SqlServer;
}
