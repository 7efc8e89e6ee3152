using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Inbox.Testing;

namespace Inbox.Samples.Tests;

/// <summary>The sample's synchronous endpoints as real processes: the API and the downstream simulator on their own.</summary>
public sealed class SynchronousSampleTests
{
    private const string Check = """{"patient_id": "pat_123", "payer_id": "payer_acme", "member_id": "M123"}""";

    [Fact]
    public async Task Leased_check_killed_mid_call_is_409_during_its_lease_and_runs_again_after_it_with_the_same_downstream_key()
    {
        var work = Directory.CreateTempSubdirectory("inbox-sync-").FullName;
        try
        {
            await using var downstream = await AppProcess.StartAsync("Inbox.Samples.Downstream", AppProcess.FreePort(), new Dictionary<string, string>(), work);
            using var simulator = new HttpClient { BaseAddress = downstream.BaseAddress };
            var environment = new Dictionary<string, string>
            {
                ["Api__RunSimulator"] = "false",
                ["Downstream__BaseUrl"] = downstream.BaseAddress.ToString(),
                ["Downstream__TimeoutSeconds"] = "60",
                ["Api__LeaseSeconds"] = "20",
            };
            var port = AppProcess.FreePort();

            // The payer records the call, then answers only after a minute: the API dies in between.
            await simulator.PutAsync("/faults", Json("""{"fail_rate": 0, "stall_rate": 1, "stall_ms": 60000}"""));
            var first = await AppProcess.StartAsync("Inbox.Samples.Api", port, environment, work);
            using (var client = Client(first.BaseAddress))
            {
                var pending = client.SendAsync(Validate("elig-crash"));
                await Eventually.TrueAsync("the payer called once", async () => await PayerCallsAsync(simulator) == (1, 1));

                // Killed while the client still waits: disposing the client first would abort the request, and the API
                // would release the lease before it died (a request's abort gives its key back).
                first.Kill();
                await Assert.ThrowsAnyAsync<HttpRequestException>(() => pending);
            }

            await simulator.PutAsync("/faults", Json("""{"fail_rate": 0, "stall_rate": 0, "stall_ms": 0}"""));
            await using var restarted = await AppProcess.StartAsync("Inbox.Samples.Api", port, environment, work);
            using var api = Client(restarted.BaseAddress);

            // The dead request's lease still holds: a retry is told to come back, and the payer is not called.
            using var during = await api.SendAsync(Validate("elig-crash"));
            Assert.Equal(HttpStatusCode.Conflict, during.StatusCode);
            Assert.Contains("\"code\":\"idempotency_key_in_use\"", await during.Content.ReadAsStringAsync());
            var retryAfter = int.Parse(during.Headers.GetValues("Retry-After").Single(), System.Globalization.CultureInfo.InvariantCulture);
            Assert.InRange(retryAfter, 1, 22);
            Assert.Equal((1, 1), await PayerCallsAsync(simulator));

            // Once it expires, the retry runs the check again with the same downstream key, and its answer is stored.
            var after = await Eventually.ReturnsAsync(
                "the lease to expire",
                async () =>
                {
                    using var response = await api.SendAsync(Validate("elig-crash"));
                    return (response.StatusCode, Body: await response.Content.ReadAsStringAsync());
                },
                answer => answer.StatusCode != HttpStatusCode.Conflict,
                TimeSpan.FromSeconds(60));
            Assert.Equal(HttpStatusCode.OK, after.StatusCode);
            Assert.Contains("\"eligible\":true", after.Body);
            Assert.Equal((2, 1), await PayerCallsAsync(simulator));

            using var replay = await api.SendAsync(Validate("elig-crash"));
            Assert.Equal("true", replay.Headers.GetValues("Idempotent-Replayed").Single());
            Assert.Equal(after.Body, await replay.Content.ReadAsStringAsync());
            Assert.Equal((2, 1), await PayerCallsAsync(simulator));
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    [Fact]
    public async Task Patients_are_created_once_per_key_and_read_only_by_their_organisation()
    {
        var work = Directory.CreateTempSubdirectory("inbox-patients-").FullName;
        try
        {
            await using var process = await AppProcess.StartAsync("Inbox.Samples.Api", AppProcess.FreePort(), new Dictionary<string, string>(), work);
            using var a = Client(process.BaseAddress);
            using var b = Client(process.BaseAddress, "sk_test_org_b");
            const string Sarah = """{"first_name": "Sarah", "last_name": "Johnson", "date_of_birth": "1985-03-15"}""";

            using var created = await a.SendAsync(Post("/v1/patients", Sarah, "patient-1"));
            using var again = await a.SendAsync(Post("/v1/patients", Sarah, "patient-1"));
            using var invalid = await a.SendAsync(Post("/v1/patients", """{"first_name": "Sarah", "date_of_birth": "15/03/1985"}""", "patient-2"));
            using var corrected = await a.SendAsync(Post("/v1/patients", Sarah.Replace("Sarah", "Sara", StringComparison.Ordinal), "patient-2"));

            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
            var location = created.Headers.Location!.OriginalString;
            Assert.StartsWith("/v1/patients/pat_", location);
            Assert.Equal(location, again.Headers.Location!.OriginalString);
            Assert.Equal(await created.Content.ReadAsStringAsync(), await again.Content.ReadAsStringAsync());
            Assert.Equal(HttpStatusCode.BadRequest, invalid.StatusCode);
            Assert.Contains("\"field\":\"date_of_birth\"", await invalid.Content.ReadAsStringAsync());
            // The rejected body stored nothing: the same key with a corrected body creates the patient.
            Assert.Equal(HttpStatusCode.Created, corrected.StatusCode);

            using var read = await a.GetAsync(location);
            using var other = await b.GetAsync(location);
            using var patch = await a.SendAsync(new HttpRequestMessage(HttpMethod.Patch, location) { Content = Json("""{"last_name": "Smith"}"""), Headers = { { "Idempotency-Key", "patch-1" } } });
            using var patchUnknown = await a.SendAsync(new HttpRequestMessage(HttpMethod.Patch, "/v1/patients/pat_unknown") { Content = Json("""{"last_name": "Smith"}"""), Headers = { { "Idempotency-Key", "patch-2" } } });

            Assert.Equal(HttpStatusCode.OK, read.StatusCode);
            Assert.Equal(HttpStatusCode.NotFound, other.StatusCode);
            Assert.Equal(HttpStatusCode.OK, patch.StatusCode);
            using var patched = JsonDocument.Parse(await patch.Content.ReadAsStringAsync());
            Assert.Equal("Sarah", patched.RootElement.GetProperty("data").GetProperty("first_name").GetString());
            Assert.Equal("Smith", patched.RootElement.GetProperty("data").GetProperty("last_name").GetString());
            Assert.Equal(HttpStatusCode.NotFound, patchUnknown.StatusCode);
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    private static HttpClient Client(Uri address, string apiKey = "sk_test_org_a")
    {
        var client = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(90) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", apiKey);
        return client;
    }

    private static HttpRequestMessage Validate(string key) => Post("/v1/insurance-policies/validate", Check, key);

    private static HttpRequestMessage Post(string path, string body, string key) =>
        new(HttpMethod.Post, path) { Content = Json(body), Headers = { { "Idempotency-Key", key } } };

    private static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");

    private static async Task<(int Calls, int DistinctKeys)> PayerCallsAsync(HttpClient simulator)
    {
        using var effects = JsonDocument.Parse(await simulator.GetStringAsync("/effects"));
        var payer = effects.RootElement.GetProperty("payer");
        return (payer.GetProperty("calls").GetInt32(), payer.GetProperty("distinct_keys").GetInt32());
    }
}
