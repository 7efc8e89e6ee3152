namespace Inbox.Client.Tests.Support;

public sealed record ClaimResult(string ClaimId, string Status);
