using MassTransit;

namespace Inbox.MassTransit.Tests.Support;

/// <summary>Transactional: its effect is a claim row written through the application's context.</summary>
public sealed class ClaimConsumer(WorkerDbContext db, TestEffects effects) : IConsumer<SubmitClaim>
{
    public async Task Consume(ConsumeContext<SubmitClaim> context)
    {
        var delivery = context.GetInboxDelivery();
        effects.Invoked(delivery.OperationId ?? context.MessageId.ToString()!);
        effects.ClaimModes.Enqueue(delivery.Mode);

        var claim = new ClaimRecord { Id = Guid.NewGuid(), OperationId = delivery.OperationId, PatientId = context.Message.PatientId };
        db.Claims.Add(claim);
        effects.DuringClaim?.Invoke();
        if (effects.ObserveSaves)
        {
            db.SavingChanges += (_, _) => Interlocked.Increment(ref effects.SavesObserved);
        }

        if (effects.BeginTransaction)
        {
            await db.Database.BeginTransactionAsync(context.CancellationToken);
        }

        if ((delivery.Mode != InboxMode.SavedByInbox || effects.SaveAnyway) && !effects.LeaveTracked)
        {
            try
            {
                await db.SaveChangesAsync(context.CancellationToken);
            }
            catch (InvalidOperationException exception)
            {
                effects.SaveErrors.Enqueue(exception.Message);
                throw;
            }
        }

        if (effects.AfterClaimSaved is { } afterSaved)
        {
            await afterSaved();
        }

        if (effects.RejectClaims)
        {
            throw new OperationFailedException("payer_rejected", "The payer rejected the claim.");
        }

        if (effects.AlwaysThrow || effects.TakeTransientFailure())
        {
            throw new InvalidOperationException("The clearinghouse timed out (test).");
        }

        context.SetOperationResult(new { claim_id = "clm_" + claim.Id.ToString("N")[..12], patient_id = claim.PatientId });
    }
}

/// <summary>A second consumer of the claim message: its own inbox entry; the operation is left to <see cref="ClaimConsumer"/>.</summary>
public sealed class ClaimAuditConsumer(WorkerDbContext db, TestEffects effects) : IConsumer<SubmitClaim>
{
    public async Task Consume(ConsumeContext<SubmitClaim> context)
    {
        effects.Invoked("audit:" + context.GetInboxDelivery().OperationId);
        db.Notes.Add(new NoteRecord { Id = Guid.NewGuid(), Text = "audited " + context.Message.PatientId });
        await db.SaveChangesAsync(context.CancellationToken);
    }
}

/// <summary>Leased: its effect is a call to a downstream that deduplicates on the downstream key.</summary>
[IdempotentConsumer(InboxMode.Leased)]
public sealed class WebhookConsumer(TestEffects effects) : IConsumer<FireWebhook>
{
    public async Task Consume(ConsumeContext<FireWebhook> context)
    {
        var delivery = context.GetInboxDelivery();
        effects.Invoked(delivery.OperationId ?? context.MessageId.ToString()!);
        var webhookId = context.GetDownstreamKey("webhook");
        await effects.CallDownstreamAsync(webhookId, context.CancellationToken);

        if (effects.AlwaysThrow)
        {
            throw new HttpRequestException("The subscriber answered 503 (test).");
        }

        context.SetOperationResult(new { webhook_id = webhookId, audit_key = context.GetDownstreamKey("audit"), takeover = delivery.IsTakeover });
    }
}

/// <summary>Transactional, for messages that did not come through the HTTP side.</summary>
public sealed class NoteConsumer(WorkerDbContext db, TestEffects effects) : IConsumer<RecordNote>
{
    public async Task Consume(ConsumeContext<RecordNote> context)
    {
        effects.Invoked(context.MessageId.ToString()!);
        db.Notes.Add(new NoteRecord { Id = Guid.NewGuid(), Text = context.Message.Text });
        await db.SaveChangesAsync(context.CancellationToken);
    }
}

/// <summary>Calls the inbox API from a consumer that is not behind the inbox.</summary>
public sealed class ProbeConsumer(TestEffects effects) : IConsumer<ProbeMessage>
{
    public Task Consume(ConsumeContext<ProbeMessage> context)
    {
        try
        {
            context.GetDownstreamKey("webhook");
        }
        catch (InvalidOperationException exception)
        {
            effects.ProbeError = exception.Message;
        }

        return Task.CompletedTask;
    }
}
