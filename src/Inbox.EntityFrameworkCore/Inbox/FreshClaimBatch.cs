using Inbox.EntityFrameworkCore.Model;
using Inbox.EntityFrameworkCore.Sql;
using Inbox.Operations;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Infrastructure;

namespace Inbox.EntityFrameworkCore.Inbox;

/// <summary>
/// Saves a consumer's tracked changes, a fresh claim and the operation's outcome as one EF Core batch without an
/// explicit transaction. PostgreSQL runs a batch as one implicit transaction (Npgsql sends a single Sync), so all
/// of it commits or none does; a duplicate fails the batch on the entry's primary key.
/// </summary>
internal static class FreshClaimBatch
{
    // Kept well under EF Core's batch limits (commands and parameters), so the save is always one batch.
    private const int MaxChanges = 100;

    /// <summary>
    /// Whether the provider runs a batch atomically and this context's changes fit in one batch. The consumer's
    /// changes must all be inserts: EF Core checks an update's or a delete's row count only after the batch has run,
    /// and without an explicit transaction the batch would already be committed.
    /// </summary>
    public static bool Fits(DbContext db, bool completesOperation)
    {
        if (DatabaseProviders.Detect(db) != DatabaseProvider.PostgreSql)
        {
            return false;
        }

        var inserts = 0;
        foreach (var entry in db.ChangeTracker.Entries())
        {
            switch (entry.State)
            {
                case EntityState.Added:
                    inserts++;
                    break;
                case EntityState.Modified or EntityState.Deleted:
                    return false;
            }
        }

        var relational = db.GetService<IDbContextOptions>().Extensions.OfType<RelationalOptionsExtension>().FirstOrDefault();
        var commands = inserts + (completesOperation ? 2 : 1);
        return commands <= Math.Min(MaxChanges, relational?.MaxBatchSize ?? MaxChanges) && commands >= (relational?.MinBatchSize ?? 1);
    }

    /// <summary>
    /// Adds the claim (written as succeeded, with the result) and the operation's outcome to the tracked changes and
    /// saves them all. On failure the claim and the outcome are taken back out of the change tracker; whether the
    /// batch committed is then told by the entry's claim token (an operation that is gone fails EF Core's row count
    /// check after the commit).
    /// </summary>
    public static async Task SaveAsync(
        DbContext db, InboxClaimRequest claim, string? resultJson, string? completesOperationId, CancellationToken cancellationToken)
    {
        var entry = db.Set<InboxEntry>().Add(new InboxEntry
        {
            Consumer = claim.Consumer,
            MessageKey = claim.MessageKey,
            Status = OperationStatus.Succeeded,
            OperationId = claim.OperationId,
            ClaimToken = claim.ClaimToken,
            Attempt = 1,
            ClaimKind = (int)ClaimKind.Fresh,
            Result = resultJson,
            CreatedAt = claim.Now,
            UpdatedAt = claim.Now,
            ExpiresAt = claim.ExpiresAt,
        });
        EntityEntry<InboxOperation>? attached = null;
        if (completesOperationId is not null)
        {
            attached = TrackSucceeded(db, completesOperationId, resultJson, claim.Now);
        }

        var transactions = db.Database.AutoTransactionBehavior;
        db.Database.AutoTransactionBehavior = AutoTransactionBehavior.Never;
        try
        {
            await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            entry.State = EntityState.Detached;
            if (attached is not null)
            {
                attached.State = EntityState.Detached;
            }

            throw;
        }
        finally
        {
            db.Database.AutoTransactionBehavior = transactions;
        }
    }

    /// <summary>
    /// Marks the operation succeeded: an update of these columns only, which the claim's primary key makes the
    /// operation's one completion. Returns the entry when it was attached here (not already tracked by the consumer).
    /// </summary>
    private static EntityEntry<InboxOperation>? TrackSucceeded(DbContext db, string operationId, string? resultJson, DateTimeOffset now)
    {
        var tracked = db.ChangeTracker.Entries<InboxOperation>().FirstOrDefault(e => e.Entity.Id == operationId);
        var operation = tracked ?? db.Set<InboxOperation>().Attach(new InboxOperation { Id = operationId });
        operation.Entity.Status = OperationStatus.Succeeded;
        operation.Entity.Result = resultJson;
        operation.Entity.ErrorCode = null;
        operation.Entity.ErrorMessage = null;
        operation.Entity.UpdatedAt = now;
        foreach (var property in new[]
        {
            nameof(InboxOperation.Status), nameof(InboxOperation.Result), nameof(InboxOperation.ErrorCode),
            nameof(InboxOperation.ErrorMessage), nameof(InboxOperation.UpdatedAt),
        })
        {
            operation.Property(property).IsModified = true;
        }

        return tracked is null ? operation : null;
    }
}
