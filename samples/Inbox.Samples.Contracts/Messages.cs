namespace Inbox.Samples.Contracts;

/// <summary>Submit an insurance claim to the clearinghouse (transactional: the claim row is the effect).</summary>
public sealed record SubmitClaim(string PatientId, string PayerId, long AmountCents, IReadOnlyList<string> ServiceCodes);

/// <summary>Fire a webhook event to a subscriber (leased: the HTTP call is the effect).</summary>
public sealed record FireWebhookEvent(string SubscriptionId, string EventType, string PayloadJson);

/// <summary>Send a letter through the print provider (leased: the provider call is the effect).</summary>
public sealed record SendLetter(LetterRecipient Recipient, string Template, IReadOnlyDictionary<string, string> MergeFields);

/// <summary>Who a letter goes to.</summary>
public sealed record LetterRecipient(string Name, IReadOnlyList<string> AddressLines, string Postcode);
