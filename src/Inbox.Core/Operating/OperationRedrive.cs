using Inbox.Operations;
using Inbox.Publishing;

namespace Inbox.Operating;

/// <summary>The result of redriving one operation.</summary>
/// <param name="Outcome">What the redrive did.</param>
/// <param name="Status">The operation's status as the redrive found it, or <see langword="null"/> when it was not found.</param>
/// <param name="Publication">The message to publish now when <see cref="RedriveOutcome.Redriven"/>; otherwise <see langword="null"/>.</param>
public sealed record OperationRedrive(RedriveOutcome Outcome, OperationStatus? Status, StoredPublication? Publication);
