using Inbox.MassTransit;
using Inbox.Operations;
using Inbox.Samples.Contracts;
using Inbox.Samples.Data;
using MassTransit;

namespace Inbox.Samples.Hosting.Consumers;

/// <summary>
/// Submits a claim: the claim row is the effect. It is left tracked in the application's context and the inbox
/// saves it with its claim and the outcome: on PostgreSQL one batch in one round trip.
/// </summary>
[IdempotentConsumer(InboxMode.SavedByInbox)]
public sealed class ClaimSubmissionConsumer(SamplesDbContext db, TimeProvider time) : IConsumer<SubmitClaim>
{
    public Task Consume(ConsumeContext<SubmitClaim> context)
    {
        var message = context.Message;
        var claim = new ClaimRow
        {
            Id = RandomIds.New("clm_"),
            OperationId = context.GetInboxDelivery().OperationId,
            PatientId = message.PatientId,
            PayerId = message.PayerId,
            AmountCents = message.AmountCents,
            ServiceCodes = string.Join(',', message.ServiceCodes),
            SubmittedAt = time.GetUtcNow(),
        };
        db.Claims.Add(claim);
        context.SetOperationResult(new { claim_id = claim.Id, status = "submitted" });
        return Task.CompletedTask;
    }
}
