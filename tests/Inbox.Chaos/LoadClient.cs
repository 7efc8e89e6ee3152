using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace Inbox.Chaos;

/// <summary>
/// A client that keeps its promise to retry: every submission is sent until it gets an answer, with the same
/// key and body, to whichever API answers. Records the operation each key got and every inconsistency.
/// </summary>
internal sealed class LoadClient(IReadOnlyList<Uri> apis)
{
    private readonly HttpClient[] _clients = apis.Select(api => new HttpClient(new SocketsHttpHandler
    {
        PooledConnectionLifetime = TimeSpan.FromSeconds(5),
        ConnectTimeout = TimeSpan.FromSeconds(2),
    })
    {
        BaseAddress = api,
        Timeout = TimeSpan.FromSeconds(30),
        DefaultRequestHeaders = { Authorization = new AuthenticationHeaderValue("Bearer", "sk_test_org_a") },
    }).ToArray();

    public ConcurrentDictionary<string, string> OperationByKey { get; } = new();

    public ConcurrentBag<string> Inconsistencies { get; } = [];

    /// <summary>The run's clock, started with the client: the time base of <see cref="Answers"/> and of the cluster faults.</summary>
    public Stopwatch Clock { get; } = Stopwatch.StartNew();

    /// <summary>Every request's outcome, in the order they ended.</summary>
    public ConcurrentQueue<Answer> Answers { get; } = new();

    public int Requests;
    public int Replayed;
    public int LostResponses;
    public int TransportErrors;
    public int InternalServerErrors;
    public int Unavailable;
    public int OtherServerErrors;
    public int InUse;

    /// <summary>Sends <paramref name="submission"/> until it is answered (202 or a 4xx); bounded by <paramref name="deadline"/>.</summary>
    public async Task<bool> SubmitAsync(Submission submission, bool loseFirstResponse, DateTime deadline)
    {
        var attempt = 0;
        while (DateTime.UtcNow < deadline)
        {
            attempt++;
            var sent = Clock.Elapsed;
            var client = _clients[Random.Shared.Next(_clients.Length)];
            using var cancel = new CancellationTokenSource();
            if (loseFirstResponse && attempt == 1)
            {
                // The client gives up early, as one whose connection dropped would: it never sees the answer.
                cancel.CancelAfter(TimeSpan.FromMilliseconds(Random.Shared.Next(1, 40)));
            }

            try
            {
                Interlocked.Increment(ref Requests);
                using var request = new HttpRequestMessage(HttpMethod.Post, submission.Path)
                {
                    Content = new StringContent(submission.Body, Encoding.UTF8, "application/json"),
                };
                request.Headers.Add("Idempotency-Key", submission.Key);
                using var response = await client.SendAsync(request, cancel.Token);
                var text = await response.Content.ReadAsStringAsync(cancel.Token);
                if (response.StatusCode == HttpStatusCode.Accepted)
                {
                    var operationId = Record(submission, text, response.Headers.Contains("Idempotent-Replayed"));
                    Answers.Enqueue(new Answer(sent, Clock.Elapsed, (int)response.StatusCode, operationId));
                    return true;
                }

                Answers.Enqueue(new Answer(sent, Clock.Elapsed, (int)response.StatusCode, null));

                if (response.StatusCode == HttpStatusCode.Conflict && text.Contains("idempotency_key_in_use", StringComparison.Ordinal))
                {
                    Interlocked.Increment(ref InUse);
                }
                else if (response.StatusCode == HttpStatusCode.ServiceUnavailable)
                {
                    // The documented answer while a store is down: retried with the same key.
                    Interlocked.Increment(ref Unavailable);
                }
                else if (response.StatusCode == HttpStatusCode.InternalServerError)
                {
                    // An unhandled failure: retried like any 5xx, and it fails the run.
                    Interlocked.Increment(ref InternalServerErrors);
                }
                else if ((int)response.StatusCode >= 500)
                {
                    Interlocked.Increment(ref OtherServerErrors);
                }
                else
                {
                    Inconsistencies.Add($"{submission.Key}: unexpected {(int)response.StatusCode} {text}");
                    return false;
                }
            }
            catch (OperationCanceledException) when (cancel.IsCancellationRequested)
            {
                Interlocked.Increment(ref LostResponses);
                Answers.Enqueue(new Answer(sent, Clock.Elapsed, Answer.GivenUp, null));
            }
            catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException or IOException)
            {
                Interlocked.Increment(ref TransportErrors);
                Answers.Enqueue(new Answer(sent, Clock.Elapsed, Answer.TransportError, null));
            }

            await Task.Delay(TimeSpan.FromMilliseconds(Math.Min(2000, 50 * attempt) + Random.Shared.Next(50)));
        }

        Inconsistencies.Add($"{submission.Key}: never answered before the deadline");
        return false;
    }

    private string Record(Submission submission, string body, bool replayed)
    {
        using var json = JsonDocument.Parse(body);
        var operationId = json.RootElement.GetProperty("data").GetProperty("id").GetString()!;
        var stored = OperationByKey.GetOrAdd(submission.Key, operationId);
        if (stored != operationId)
        {
            Inconsistencies.Add($"{submission.Key}: answered with {operationId} after {stored}");
        }

        if (replayed)
        {
            Interlocked.Increment(ref Replayed);
        }

        return operationId;
    }
}
