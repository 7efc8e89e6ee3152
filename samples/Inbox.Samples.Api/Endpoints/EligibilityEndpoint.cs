using System.Net.Http.Json;
using System.Text.Json.Serialization;
using Inbox.AspNetCore;
using Inbox.Samples.Hosting;

namespace Inbox.Samples.Api.Endpoints;

/// <summary>
/// <c>POST /v1/insurance-policies/validate</c>: a synchronous endpoint in leased mode. It calls the payer's
/// eligibility service with a downstream key that is the same on every attempt with this idempotency key, and the
/// eligibility answer is stored and replayed ("cached eligibility response replayed").
/// </summary>
public static class EligibilityEndpoint
{
    public sealed record EligibilityRequest(string? PatientId, string? PayerId, string? MemberId);

    public static void Validate(List<FieldError> errors, EligibilityRequest request)
    {
        Endpoints.Validate.Identifier(errors, "patient_id", request.PatientId);
        Endpoints.Validate.Identifier(errors, "payer_id", request.PayerId);
        Endpoints.Validate.Identifier(errors, "member_id", request.MemberId);
    }

    public static async Task<IResult> CheckAsync(HttpContext context, IHttpClientFactory clients, Downstream downstream, TimeProvider time)
    {
        var request = ValidatedBody.Get<EligibilityRequest>(context);
        using var call = new HttpRequestMessage(HttpMethod.Post, downstream.Resolve($"payers/{Uri.EscapeDataString(request.PayerId!)}/eligibility"))
        {
            Content = JsonContent.Create(new { patient_id = request.PatientId, member_id = request.MemberId }),
        };
        call.Headers.Add("Idempotency-Key", context.GetDownstreamKey("payer"));

        PayerAnswer? answer;
        try
        {
            using var response = await clients.CreateClient(Downstream.HttpClientName).SendAsync(call, context.RequestAborted);
            response.EnsureSuccessStatusCode();
            answer = await response.Content.ReadFromJsonAsync<PayerAnswer>(context.RequestAborted);
        }
        catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException && !context.RequestAborted.IsCancellationRequested)
        {
            // A 502 is not stored: the retry calls the payer again, with the same downstream key.
            return SampleErrors.Write(context, StatusCodes.Status502BadGateway, "payer_unavailable", "The payer's eligibility service did not answer; retry with the same idempotency key.");
        }

        return Results.Json(
            new
            {
                data = new { eligible = answer!.Eligible, plan = answer.Plan, checked_at = time.GetUtcNow() },
                meta = new { request_id = context.GetInboxRequestId() },
                error = (object?)null,
            },
            SampleJson.Options);
    }

    private sealed record PayerAnswer([property: JsonPropertyName("eligible")] bool Eligible, [property: JsonPropertyName("plan")] string? Plan);
}
