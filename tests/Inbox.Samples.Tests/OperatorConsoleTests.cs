using System.Net;
using System.Text.Json;
using Inbox.Testing;
using static Inbox.Samples.Tests.SampleCredentials;

namespace Inbox.Samples.Tests;

/// <summary>
/// The sample's console credentials: operator keys as HTTP Basic (what a browser prompts for) or bearer tokens;
/// the platform key sees every organisation, an organisation's operator key only its own, and neither an API key
/// nor no key opens the console.
/// </summary>
public sealed class OperatorConsoleTests
{
    private const string Claim = """{"patient_id": "pat_123", "payer_id": "payer_acme", "amount_cents": 12500, "service_codes": ["99213"]}""";

    [Fact]
    public async Task Operator_keys_open_the_console_scoped_to_their_tenants_and_nothing_else_does()
    {
        var work = Directory.CreateTempSubdirectory("inbox-operators-").FullName;
        try
        {
            await using var api = await AppProcess.StartAsync("Inbox.Samples.Api", AppProcess.FreePort(), Development(), work);
            var (_, opA, _) = await SampleStack.PostAsync(Client(api, Bearer("sk_test_org_a")), "/v1/claims", Claim, "operators-a", default);
            var (_, opB, _) = await SampleStack.PostAsync(Client(api, Bearer("sk_test_org_b")), "/v1/claims", Claim, "operators-b", default);

            var anonymous = await Client(api, null).GetAsync("/inbox/");
            Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
            Assert.Equal("Basic", anonymous.Headers.WwwAuthenticate.Single().Scheme);
            Assert.Equal(HttpStatusCode.Unauthorized, (await Client(api, Bearer("sk_test_org_a")).GetAsync("/inbox/counts")).StatusCode);
            Assert.Equal(HttpStatusCode.Unauthorized, (await Client(api, Basic("alice", "sk_test_org_a")).GetAsync("/inbox/counts")).StatusCode);
            Assert.Equal(HttpStatusCode.Unauthorized, (await Client(api, Basic("alice", "ops_dev_wrong")).GetAsync("/inbox/")).StatusCode);
            Assert.Equal(HttpStatusCode.Unauthorized, (await Client(api, Basic("alice", "OPS_DEV_PLATFORM")).GetAsync("/inbox/")).StatusCode);

            var page = await Client(api, Basic("alice", "ops_dev_platform")).GetAsync("/inbox/");
            Assert.Equal(HttpStatusCode.OK, page.StatusCode);
            Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);

            Assert.Equal(new HashSet<string> { opA, opB }, (await ListedAsync(Client(api, Basic("alice", "ops_dev_platform")))).ToHashSet());
            Assert.Equal(new HashSet<string> { opA, opB }, (await ListedAsync(Client(api, Bearer("ops_dev_platform")))).ToHashSet());
            Assert.Equal([opA], await ListedAsync(Client(api, Basic("bob", "ops_dev_org_a"))));
            Assert.Empty(await ListedAsync(Client(api, Basic("bob", "ops_dev_org_a")), "?tenant=org_b"));
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    [Fact]
    public async Task Outside_development_the_sample_has_no_operator_keys_and_the_console_opens_for_no_one()
    {
        var work = Directory.CreateTempSubdirectory("inbox-operators-").FullName;
        try
        {
            await using var api = await AppProcess.StartAsync("Inbox.Samples.Api", AppProcess.FreePort(), new Dictionary<string, string>(), work);

            Assert.Equal(HttpStatusCode.Unauthorized, (await Client(api, Basic("alice", "ops_dev_platform")).GetAsync("/inbox/")).StatusCode);
            Assert.Equal(HttpStatusCode.Unauthorized, (await Client(api, Bearer("ops_dev_org_a")).GetAsync("/inbox/counts")).StatusCode);
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    private static async Task<string[]> ListedAsync(HttpClient client, string query = "")
    {
        using (client)
        {
            var response = await client.GetAsync("/inbox/operations" + query);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            return [.. json.RootElement.GetProperty("data").EnumerateArray().Select(o => o.GetProperty("id").GetString()!)];
        }
    }
}
