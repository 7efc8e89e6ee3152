using System.Net.Http.Headers;
using Inbox.Client;
using Inbox.Samples.Client;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

// Submits claims to the sample API and waits for their results, as a caller should:
//   dotnet run --project samples/Inbox.Samples.Client [-- --Api:BaseUrl http://localhost:5000 --Api:Key sk_test_org_a --Claims 3]
// Each claim draft gets its key when it is created and keeps it (here in memory; in an application, in the same row
// as the draft), so a retry, even one after a restart, sends the same key and the API accepts the claim once.
var builder = Host.CreateApplicationBuilder(args);
builder.Logging.SetMinimumLevel(LogLevel.Warning);   // retries are logged as warnings by the resilience handler
var baseUrl = new Uri(builder.Configuration["Api:BaseUrl"] ?? "http://localhost:5000");
var apiKey = builder.Configuration["Api:Key"] ?? "sk_test_org_a";
var count = builder.Configuration.GetValue("Claims", 3);

builder.Services.AddHttpClient<InboxClient>(http =>
    {
        http.BaseAddress = baseUrl;
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", apiKey);
    })
    .AddIdempotencyKeys()                    // one key per logical send, outside the retries
    .AddIdempotentResilienceHandler();       // retries transport errors, 408, 429, 5xx, 409 in use; never a mismatch

using var host = builder.Build();
var client = host.Services.GetRequiredService<InboxClient>();
using var cancellation = new CancellationTokenSource(TimeSpan.FromMinutes(2));

var drafts = Enumerable.Range(1, count).Select(ClaimDraft.New).ToArray();
var submitted = await Task.WhenAll(drafts.Select(draft =>
    client.SubmitAsync<ClaimResult>(WaitUntil.Completed, "/v1/claims", draft.Body, draft.IdempotencyKey, cancellation.Token)));

foreach (var (draft, operation) in drafts.Zip(submitted))
{
    Console.WriteLine($"{draft.Body.PatientId}: key {draft.IdempotencyKey} -> {operation.Id} {operation.Status}, claim {operation.Value.ClaimId} ({operation.Value.Status})");
}

// The first draft sent again (the caller lost the answer, or restarted): the same key, so the same operation.
var again = await client.SubmitAsync<ClaimResult>(WaitUntil.Completed, "/v1/claims", drafts[0].Body, drafts[0].IdempotencyKey, cancellation.Token);
Console.WriteLine($"resent {drafts[0].Body.PatientId}: {again.Id}, replayed: {again.WasReplayed}, claim {again.Value.ClaimId}");

// Following an operation again from its status URL alone, as after a restart.
var rehydrated = new InboxOperation<ClaimResult>(client, submitted[0].StatusUrl);
var result = await rehydrated.WaitForCompletionAsync(cancellation.Token);
Console.WriteLine($"rehydrated {rehydrated.Id} from {rehydrated.StatusUrl}: claim {result.ClaimId}");

return again.Id == submitted[0].Id && again.WasReplayed && result.ClaimId == submitted[0].Value.ClaimId ? 0 : 1;
