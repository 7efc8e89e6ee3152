using Inbox.AspNetCore;
using Inbox.Samples.Contracts;

namespace Inbox.Samples.Api.Endpoints;

/// <summary><c>POST /v1/letters</c>: send a letter through the print provider.</summary>
public static class LettersEndpoint
{
    public sealed record RecipientRequest(string? Name, IReadOnlyList<string?>? AddressLines, string? Postcode);

    public sealed record LetterRequest(RecipientRequest? Recipient, string? Template, IReadOnlyDictionary<string, string?>? MergeFields);

    public static async Task<IResult> SendAsync(HttpRequest http)
    {
        var context = http.HttpContext;
        var (request, problem) = await JsonBody.ReadAsync<LetterRequest>(context);
        if (problem is not null)
        {
            return problem;
        }

        var errors = new List<FieldError>();
        var recipient = request!.Recipient;
        if (recipient is null)
        {
            errors.Add(new FieldError("recipient", "is required"));
        }
        else
        {
            Validate.Text(errors, "recipient.name", recipient.Name, 200);
            if (recipient.AddressLines is not { Count: > 0 and <= 6 } lines || lines.Any(l => string.IsNullOrWhiteSpace(l) || l.Length > 200))
            {
                errors.Add(new FieldError("recipient.address_lines", "must hold 1 to 6 lines of 1 to 200 characters"));
            }

            Validate.Text(errors, "recipient.postcode", recipient.Postcode, 16);
        }

        Validate.Identifier(errors, "template", request.Template);
        if (request.MergeFields is { Count: > 50 })
        {
            errors.Add(new FieldError("merge_fields", "must hold at most 50 fields"));
        }

        return errors.Count > 0
            ? SampleErrors.Invalid(context, errors)
            : InboxResults.Accept(new SendLetter(
                new LetterRecipient(recipient!.Name!, recipient.AddressLines!.Select(l => l!).ToArray(), recipient.Postcode!),
                request.Template!,
                (request.MergeFields ?? new Dictionary<string, string?>()).ToDictionary(f => f.Key, f => f.Value ?? "")));
    }
}
