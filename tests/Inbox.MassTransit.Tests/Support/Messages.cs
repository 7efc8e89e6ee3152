namespace Inbox.MassTransit.Tests.Support;

public sealed record SubmitClaim(string PatientId);

public sealed record FireWebhook(string EventType);

public sealed record RecordNote(string Text);

public sealed record ProbeMessage;
