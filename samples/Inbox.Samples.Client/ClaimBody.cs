namespace Inbox.Samples.Client;

/// <summary>The body of <c>POST /v1/claims</c> (written in snake_case by <c>InboxClient</c>).</summary>
public sealed record ClaimBody(string PatientId, string PayerId, long AmountCents, IReadOnlyList<string> ServiceCodes);
