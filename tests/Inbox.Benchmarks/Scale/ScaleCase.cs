namespace Inbox.Benchmarks.Scale;

/// <summary>One kind of submission to the sample API: its route, a body per index, and the worker queue its message lands in.</summary>
internal sealed record ScaleCase(string Path, Func<int, string> Body, string Queue)
{
    /// <summary>A letter: the worker's leased consumer calls the print provider (the simulator) once per operation.</summary>
    public static readonly ScaleCase Letter = new(
        "/v1/letters",
        i => $$$"""{"recipient": {"name": "Patient {{{i}}}", "address_lines": ["{{{i}}} High Street"], "postcode": "AB1 2CD"}, "template": "appointment_reminder", "merge_fields": {"date": "2026-12-01"}}""",
        "letter");

    /// <summary>A claim: the worker's consumer writes one claim row with its inbox claim and the operation's outcome.</summary>
    public static readonly ScaleCase Claim = new(
        "/v1/claims",
        i => $$"""{"patient_id": "pat_{{i}}", "payer_id": "payer_acme", "amount_cents": {{1000 + i}}, "service_codes": ["99213"]}""",
        "claim-submission");
}
