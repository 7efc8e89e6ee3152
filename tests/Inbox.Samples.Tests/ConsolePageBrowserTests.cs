using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Inbox.Testing;
using Microsoft.Playwright;
using static Inbox.Samples.Tests.SampleCredentials;
using static Microsoft.Playwright.Assertions;

namespace Inbox.Samples.Tests;

/// <summary>
/// The operations console's page in a real headless Chromium, against the sample API run as a real process (the
/// embedded default: SQLite, the in-memory transport, the simulator in process): the downstream fails every call,
/// so a webhook event and two letters fail for good; the page shows them and their failure groups; with the
/// downstream healthy again, the operator redrives the webhook from its row and the letters as a group, and the page
/// shows each succeed, having run once.
/// </summary>
public sealed class ConsolePageBrowserTests
{
    private const string TenantKey = "sk_test_org_a";
    private const string OperatorKey = "ops_dev_platform";
    private const string ScreenshotVariable = "INBOX_CONSOLE_SCREENSHOT";

    private static readonly TimeSpan FailureTimeout = TimeSpan.FromSeconds(60);

    [SkippableFact]
    public async Task Operator_sees_failed_operations_redrives_them_in_the_browser_and_sees_them_succeed()
    {
        var chromium = Chromium.Require();
        var work = Directory.CreateTempSubdirectory("inbox-console-page-").FullName;
        try
        {
            await using var api = await AppProcess.StartAsync("Inbox.Samples.Api", AppProcess.FreePort(), SampleCredentials.Development(), work);
            using var tenant = Client(api, Bearer(TenantKey));
            using var console = Client(api, Basic("test", OperatorKey));

            for (var i = 0; i < 3; i++)
            {
                await SubmitAsync(tenant, SampleStack.Submission(i * 3), $"console-claim-{i}");
            }

            await SetFailRateAsync(tenant, 1.0);
            var webhook = await SubmitAsync(tenant, SampleStack.Submission(1), "console-webhook");
            string[] letters = [await SubmitAsync(tenant, SampleStack.Submission(2), "console-letter-1"), await SubmitAsync(tenant, SampleStack.Submission(5), "console-letter-2")];
            foreach (var id in letters.Prepend(webhook))
            {
                await Eventually.TrueAsync($"{id} to fail after its retries", async () => await StatusAsync(tenant, id) == "failed", FailureTimeout);
            }

            var (webhookCode, webhookEndpoint) = await FailureAsync(console, webhook);
            var (letterCode, letterEndpoint) = await FailureAsync(console, letters[0]);

            using var playwright = await Playwright.CreateAsync();
            await using var browser = await playwright.Chromium.LaunchAsync(new() { ExecutablePath = chromium, Headless = true });
            await using var context = await browser.NewContextAsync(new()
            {
                HttpCredentials = new() { Username = "test", Password = OperatorKey },
                ViewportSize = new() { Width = 1280, Height = 900 },
            });
            var page = await context.NewPageAsync();
            var problems = new List<string>();
            page.Console += (_, message) =>
            {
                if (message.Type == "error")
                {
                    problems.Add(message.Text);
                }
            };
            page.PageError += (_, error) => problems.Add(error);
            SetDefaultExpectTimeout(30_000);

            var response = await page.GotoAsync(new Uri(api.BaseAddress, "inbox/").ToString());
            Assert.Equal((int)HttpStatusCode.OK, response!.Status);

            var webhookRow = page.Locator($"#operations tr[data-operation-id='{webhook}']");
            await Expect(webhookRow.Locator("[data-field=status]")).ToHaveTextAsync("failed");
            await Expect(webhookRow.Locator("[data-field=error]")).ToHaveTextAsync(webhookCode);
            var webhookGroup = page.Locator($"#failures tr[data-code='{webhookCode}'][data-endpoint='{webhookEndpoint}']");
            var letterGroup = page.Locator($"#failures tr[data-code='{letterCode}'][data-endpoint='{letterEndpoint}']");
            await Expect(webhookGroup.GetByRole(AriaRole.Button, new() { Name = "Redrive 1" })).ToBeVisibleAsync();
            await Expect(letterGroup.GetByRole(AriaRole.Button, new() { Name = "Redrive 2" })).ToBeVisibleAsync();
            await Expect(page.Locator($"#counts tr[data-endpoint='{letterEndpoint}'] td[data-status=failed]")).ToHaveTextAsync("2");

            if (Environment.GetEnvironmentVariable(ScreenshotVariable) is { Length: > 0 } screenshot)
            {
                await webhookRow.GetByRole(AriaRole.Button, new() { Name = webhook }).ClickAsync();
                await Expect(page.Locator("#detail")).ToBeVisibleAsync();
                await page.ScreenshotAsync(new() { Path = screenshot, FullPage = true });
            }

            await page.GetByRole(AriaRole.Button, new() { Name = "Release expired leases" }).ClickAsync();
            await Expect(page.Locator("#status")).ToHaveTextAsync("Released 0 expired leases.");

            await SetFailRateAsync(tenant, 0.0);
            await webhookRow.GetByRole(AriaRole.Button, new() { Name = "Redrive" }).ClickAsync();
            await Expect(page.Locator("#status")).ToHaveTextAsync($"Redriven {webhook}: it runs again.");
            await Expect(webhookRow.Locator("[data-field=status]")).ToHaveTextAsync("succeeded");

            // A tenant typed but not searched for does not change what the group's button redrives: the group as listed.
            var tenantBox = page.Locator("#filters input[name=tenant]");
            await tenantBox.FillAsync("org_b");
            await letterGroup.GetByRole(AriaRole.Button, new() { Name = "Redrive 2" }).ClickAsync();
            await Expect(page.Locator("#status")).ToContainTextAsync($"Redriven 2 {letterEndpoint} operations");
            await tenantBox.FillAsync(string.Empty);
            foreach (var letter in letters)
            {
                await Expect(page.Locator($"#operations tr[data-operation-id='{letter}'] [data-field=status]")).ToHaveTextAsync("succeeded");
            }

            await Expect(page.Locator("#failures-empty")).ToBeVisibleAsync();
            await Expect(page.Locator($"#counts tr[data-endpoint='{letterEndpoint}'] td[data-status=succeeded]")).ToHaveTextAsync("2");

            Assert.Equal("succeeded", await StatusAsync(tenant, webhook));
            using var effects = JsonDocument.Parse(await tenant.GetStringAsync("/downstream/effects"));
            Assert.Equal(1, effects.RootElement.GetProperty("webhooks").GetProperty("calls").GetInt32());
            Assert.Equal(2, effects.RootElement.GetProperty("letters").GetProperty("calls").GetInt32());
            Assert.Equal(2, effects.RootElement.GetProperty("letters").GetProperty("distinct_keys").GetInt32());
            Assert.Empty(problems);
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    private static async Task<string> SubmitAsync(HttpClient client, (string Path, string Body) submission, string key)
    {
        var (status, id, _) = await SampleStack.PostAsync(client, submission.Path, submission.Body, key, default);
        Assert.Equal(HttpStatusCode.Accepted, status);
        return id;
    }

    private static async Task SetFailRateAsync(HttpClient client, double failRate)
    {
        using var response = await client.PutAsJsonAsync("/downstream/faults", new Dictionary<string, object> { ["fail_rate"] = failRate, ["stall_rate"] = 0, ["stall_ms"] = 0 });
        response.EnsureSuccessStatusCode();
    }

    private static async Task<string?> StatusAsync(HttpClient client, string id)
    {
        using var status = JsonDocument.Parse(await client.GetStringAsync($"/v1/operations/{id}"));
        return status.RootElement.GetProperty("data").GetProperty("status").GetString();
    }

    // The group a failed operation is listed under, as the console's JSON names it (with the operator's Basic credentials, as curl -u sends them).
    private static async Task<(string Code, string Endpoint)> FailureAsync(HttpClient console, string id)
    {
        using var detail = JsonDocument.Parse(await console.GetStringAsync($"/inbox/operations/{id}"));
        var data = detail.RootElement.GetProperty("data");
        return (data.GetProperty("error").GetProperty("code").GetString()!, data.GetProperty("endpoint").GetString()!);
    }
}
