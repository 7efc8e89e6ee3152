using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Serialization;
using Inbox.MassTransit;
using Inbox.Samples.Contracts;
using Inbox.Samples.Hosting;
using MassTransit;

namespace Inbox.Samples.Hosting.Consumers;

/// <summary>
/// Sends a letter through the print provider: the provider call is the effect, made with an
/// <c>Idempotency-Key</c> that is the same on every attempt, so the provider prints it once.
/// </summary>
[IdempotentConsumer(InboxMode.Leased)]
public sealed class LetterConsumer(IHttpClientFactory clients, Downstream downstream) : IConsumer<SendLetter>
{
    public async Task Consume(ConsumeContext<SendLetter> context)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, downstream.Resolve("print/letters"))
        {
            Content = JsonContent.Create(context.Message),
        };
        request.Headers.Add("Idempotency-Key", context.GetDownstreamKey("print"));

        using var response = await clients.CreateClient(Downstream.HttpClientName).SendAsync(request, context.CancellationToken);
        if (response.StatusCode is HttpStatusCode.BadRequest or HttpStatusCode.UnprocessableEntity)
        {
            throw new OperationFailedException("letter_rejected", $"The print provider answered {(int)response.StatusCode}.");
        }

        response.EnsureSuccessStatusCode();
        var printed = await response.Content.ReadFromJsonAsync<PrintReceipt>(context.CancellationToken)
            ?? throw new InvalidOperationException("The print provider answered without a receipt.");
        context.SetOperationResult(new { letter_id = printed.LetterId, status = "queued" });
    }

    private sealed record PrintReceipt([property: JsonPropertyName("letter_id")] string LetterId);
}
