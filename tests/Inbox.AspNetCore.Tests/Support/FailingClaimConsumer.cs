using MassTransit;

namespace Inbox.AspNetCore.Tests.Support;

/// <summary>
/// Consumes the accepted claim behind the inbox: throws (a transient-looking error, so the inbox's retry runs it
/// again until the retries are exhausted) while <see cref="ConsumerProbe.Fail"/> is set, and otherwise records its result.
/// </summary>
public sealed class FailingClaimConsumer(ConsumerProbe probe) : IConsumer<SubmitClaim>
{
    public Task Consume(ConsumeContext<SubmitClaim> context)
    {
        var run = probe.Ran(context.GetInboxDelivery());
        if (probe.Fail)
        {
            throw new InvalidOperationException("The clearinghouse timed out (test).");
        }

        context.SetOperationResult(new { claim_id = "clm_" + run, patient_id = context.Message.PatientId });
        return Task.CompletedTask;
    }
}
