namespace Inbox.Chaos;

/// <summary>One logical submission: a route, a body and the key every one of its requests carries.</summary>
internal sealed record Submission(int Index, string Kind, string Path, string Body, string Key)
{
    public static Submission Create(int index, string run) => (index % 3) switch
    {
        0 => new(index, "claim", "/v1/claims",
            $$"""{"patient_id": "pat_{{index}}", "payer_id": "payer_acme", "amount_cents": {{1000 + index}}, "service_codes": ["99213"]}""", KeyFor(run, index)),
        1 => new(index, "webhook", "/v1/webhook-events",
            $$$"""{"subscription_id": "sub_1", "event_type": "claim.updated", "payload": {"claim_id": "clm_{{{index}}}"}}""", KeyFor(run, index)),
        _ => new(index, "letter", "/v1/letters",
            $$$"""{"recipient": {"name": "Patient {{{index}}}", "address_lines": ["{{{index}}} High Street"], "postcode": "AB1 2CD"}, "template": "appointment_reminder", "merge_fields": {"date": "2026-12-01"}}""", KeyFor(run, index)),
    };

    private static string KeyFor(string run, int index) => $"{run}-{index:D6}";
}
