namespace Inbox.AspNetCore.Tests.Support;

public sealed record ClaimRequest(string? PatientId, int AmountCents);

public sealed record SubmitClaim(string PatientId, int AmountCents);
