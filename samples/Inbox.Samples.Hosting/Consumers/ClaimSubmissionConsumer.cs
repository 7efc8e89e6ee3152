using Inbox.Operations;
using Inbox.Samples.Contracts;
using Inbox.Samples.Data;
using MassTransit;

namespace Inbox.Samples.Hosting.Consumers;

/// <summary>
/// Submits a claim: the claim row is the effect, written through the application's context in the inbox's
/// transaction (the inbox saves and commits it with the outcome).
/// </summary>
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
