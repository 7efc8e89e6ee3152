using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Inbox.Testing;

namespace Inbox.Samples.Tests;

/// <summary>
/// Guarantee 6 through the sample API's own credentials: organisation B can neither read, replay, collide with,
/// nor learn the existence of organisation A's operations, with A's keys or with A's operation ids.
/// </summary>
public sealed class TenantIsolationTests
{
    private const string Claim = """{"patient_id": "pat_123", "payer_id": "payer_acme", "amount_cents": 12500, "service_codes": ["99213"]}""";
    private const string OtherClaim = """{"patient_id": "pat_999", "payer_id": "payer_acme", "amount_cents": 1, "service_codes": ["99213"]}""";

    [Fact]
    public async Task Organisation_b_cannot_read_replay_collide_with_or_detect_organisation_a_operations()
    {
        var work = Directory.CreateTempSubdirectory("inbox-tenants-").FullName;
        try
        {
            await using var api = await AppProcess.StartAsync("Inbox.Samples.Api", AppProcess.FreePort(), new Dictionary<string, string>(), work);
            using var a = Client(api, "sk_test_org_a");
            using var b = Client(api, "sk_test_org_b");

            var (statusA, opA, _) = await SampleStack.PostAsync(a, "/v1/claims", Claim, "shared-key", default);
            Assert.Equal(HttpStatusCode.Accepted, statusA);

            // Same key and body under B: B's own new operation, not A's replayed.
            var (statusB, opB, replayedB) = await SampleStack.PostAsync(b, "/v1/claims", Claim, "shared-key", default);
            Assert.Equal(HttpStatusCode.Accepted, statusB);
            Assert.False(replayedB);
            Assert.NotEqual(opA, opB);

            // Same key with another body under B collides with nothing of A's: it is B's mismatch, and A still replays.
            var (mismatch, _, _) = await SampleStack.PostAsync(b, "/v1/claims", OtherClaim, "shared-key", default);
            Assert.Equal(HttpStatusCode.Conflict, mismatch);
            var (replayA, again, replayedA) = await SampleStack.PostAsync(a, "/v1/claims", Claim, "shared-key", default);
            Assert.Equal((HttpStatusCode.Accepted, opA, true), (replayA, again, replayedA));

            // A's operation id tells B nothing: the same 404 as an id that never existed.
            var foreign = await ErrorAsync(b, $"/v1/operations/{opA}");
            var unknown = await ErrorAsync(b, "/v1/operations/op_0123456789abcdefghjkmnpqrs");
            Assert.Equal((HttpStatusCode.NotFound, "operation_not_found", "No operation with this id was found."), foreign);
            Assert.Equal(foreign, unknown);
            Assert.Equal(foreign, await ErrorAsync(a, $"/v1/operations/{opB}"));
            Assert.Equal(HttpStatusCode.OK, (await a.GetAsync($"/v1/operations/{opA}")).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await b.GetAsync($"/v1/operations/{opB}")).StatusCode);
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    private static HttpClient Client(AppProcess api, string key)
    {
        var client = new HttpClient { BaseAddress = api.BaseAddress };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return client;
    }

    private static async Task<(HttpStatusCode, string, string)> ErrorAsync(HttpClient client, string path)
    {
        using var response = await client.GetAsync(path);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var error = json.RootElement.GetProperty("error");
        return (response.StatusCode, error.GetProperty("code").GetString()!, error.GetProperty("message").GetString()!);
    }
}
