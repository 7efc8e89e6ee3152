using System.Diagnostics;
using System.Text.RegularExpressions;
using Inbox.Testing;

namespace Inbox.Samples.Tests;

/// <summary>
/// The README's walkthrough, run verbatim (only the port differs) against the embedded default started as a
/// real process in an empty working directory, as a new user would.
/// </summary>
public sealed class WalkthroughTests
{
    [Fact]
    public async Task Readme_walkthrough_works_against_the_embedded_default()
    {
        var workingDirectory = Directory.CreateTempSubdirectory("inbox-walkthrough-").FullName;
        try
        {
            var port = AppProcess.FreePort();
            await using var api = await AppProcess.StartAsync("Inbox.Samples.Api", port, SampleCredentials.Development(), workingDirectory);

            var output = await RunWalkthroughAsync(port);

            var steps = output.Split("HTTP/1.1 ", StringSplitOptions.RemoveEmptyEntries);
            Assert.StartsWith("202 Accepted", steps[0]);
            Assert.Contains("Location: /v1/operations/op_", steps[0]);
            Assert.DoesNotContain("Idempotent-Replayed", steps[0]);
            Assert.StartsWith("202 Accepted", steps[1]);
            Assert.Contains("Idempotent-Replayed: true", steps[1]);
            Assert.Equal(Body(steps[0]), Body(steps[1]));
            Assert.Contains("\"code\":\"idempotency_key_mismatched_body\"", output);
            Assert.Matches("\"status\":\"succeeded\".*\"result\":\\{\"claim_id\":\"clm_[0-9a-z]{26}\"", output);
            Assert.Matches("\"webhooks\":\\{\"calls\":1,\"distinct_keys\":1,", output);

            // The synchronous endpoints: a patient created once and replayed, changed, read back; one payer call.
            Assert.StartsWith("201 Created", steps[2]);
            Assert.Contains("Location: /v1/patients/pat_", steps[2]);
            Assert.DoesNotContain("Idempotent-Replayed", steps[2]);
            Assert.StartsWith("201 Created", steps[3]);
            Assert.Contains("Idempotent-Replayed: true", steps[3]);
            Assert.Equal(Body(steps[2]), Body(steps[3]));
            Assert.Contains("\"first_name\":\"Sarah\",\"last_name\":\"Johnson-Smith\",\"date_of_birth\":\"1985-03-15\"", output);
            Assert.StartsWith("200 OK", steps[4]);
            Assert.Contains("\"eligible\":true", steps[4]);
            Assert.StartsWith("200 OK", steps[5]);
            Assert.Contains("Idempotent-Replayed: true", steps[5]);
            Assert.Equal(Body(steps[4]), Body(steps[5]));
            Assert.Matches("\"payer\":\\{\"calls\":1,\"distinct_keys\":1,", output);
            Assert.Contains("\"endpoint\":\"POST /v1/claims\",\"counts\":{\"accepted\":0,\"processing\":0,\"succeeded\":1,\"failed\":0}", output);
            Assert.True(File.Exists(Path.Combine(workingDirectory, "inbox-sample.db")), "the SQLite file is created under the working directory");

            using var http = new HttpClient { BaseAddress = api.BaseAddress };
            using var openApi = System.Text.Json.JsonDocument.Parse(await http.GetStringAsync("/openapi/v1.json"));
            var submit = openApi.RootElement.GetProperty("paths").GetProperty("/v1/claims").GetProperty("post");
            Assert.Contains(submit.GetProperty("parameters").EnumerateArray(), p =>
                p.GetProperty("name").GetString() == "Idempotency-Key" && p.GetProperty("in").GetString() == "header");
            var responses = submit.GetProperty("responses").EnumerateObject().Select(r => r.Name).ToArray();
            Assert.Superset(new HashSet<string> { "202", "400", "401", "409" }, responses.ToHashSet());
            Assert.True(submit.TryGetProperty("requestBody", out _));
            var reference = await http.GetAsync("/scalar/v1");
            Assert.Equal(System.Net.HttpStatusCode.OK, reference.StatusCode);
            Assert.Equal("text/html", reference.Content.Headers.ContentType?.MediaType);
        }
        finally
        {
            Directory.Delete(workingDirectory, recursive: true);
        }
    }

    private static string Body(string response) => response[(response.IndexOf("\r\n\r\n", StringComparison.Ordinal) + 4)..].Split('\n')[0];

    private static async Task<string> RunWalkthroughAsync(int port)
    {
        var readme = await File.ReadAllTextAsync(Path.Combine(SamplePaths.RepositoryRoot, "README.md"));
        var block = Regex.Match(readme, "<!-- walkthrough:start -->\\s*```bash\\n(?<script>.*?)```\\s*<!-- walkthrough:end -->", RegexOptions.Singleline);
        Assert.True(block.Success, "README.md has a walkthrough block");
        var script = "set -e\n" + block.Groups["script"].Value.Replace("http://localhost:5000", $"http://127.0.0.1:{port}", StringComparison.Ordinal);

        var start = new ProcessStartInfo("bash") { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true };
        using var bash = Process.Start(start)!;
        await bash.StandardInput.WriteAsync(script);
        bash.StandardInput.Close();
        var stdout = bash.StandardOutput.ReadToEndAsync();
        var stderr = bash.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await bash.WaitForExitAsync(timeout.Token);
        Assert.True(bash.ExitCode == 0, $"the walkthrough failed ({bash.ExitCode}): {await stderr}{Environment.NewLine}{await stdout}");
        return await stdout;
    }
}
