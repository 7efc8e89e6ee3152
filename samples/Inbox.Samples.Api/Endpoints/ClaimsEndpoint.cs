using Inbox.AspNetCore;
using Inbox.Samples.Contracts;

namespace Inbox.Samples.Api.Endpoints;

/// <summary><c>POST /v1/claims</c>: submit an insurance claim.</summary>
public static class ClaimsEndpoint
{
    public sealed record ClaimRequest(string? PatientId, string? PayerId, long? AmountCents, IReadOnlyList<string?>? ServiceCodes);

    public static async Task<IResult> SubmitAsync(HttpRequest http)
    {
        var context = http.HttpContext;
        var (request, problem) = await JsonBody.ReadAsync<ClaimRequest>(context);
        if (problem is not null)
        {
            return problem;
        }

        var errors = new List<FieldError>();
        Validate.Identifier(errors, "patient_id", request!.PatientId);
        Validate.Identifier(errors, "payer_id", request.PayerId);
        if (request.AmountCents is not > 0 || request.AmountCents > 100_000_000)
        {
            errors.Add(new FieldError("amount_cents", "must be a whole number of cents between 1 and 100000000"));
        }

        if (request.ServiceCodes is not { Count: > 0 and <= 50 } codes || codes.Any(c => string.IsNullOrWhiteSpace(c) || c.Length > 10))
        {
            errors.Add(new FieldError("service_codes", "must hold 1 to 50 codes of 1 to 10 characters"));
        }

        return errors.Count > 0
            ? SampleErrors.Invalid(context, errors)
            : InboxResults.Accept(new SubmitClaim(request.PatientId!, request.PayerId!, request.AmountCents!.Value, request.ServiceCodes!.Select(c => c!).ToArray()));
    }
}
