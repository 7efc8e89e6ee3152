using System.Collections.Concurrent;
using System.Reflection;
using Inbox.Claims;
using Inbox.EntityFrameworkCore.Model;
using Inbox.EntityFrameworkCore.Sql;
using Inbox.Operations;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;

namespace Inbox.EntityFrameworkCore.Inbox;

/// <summary>
/// Saves a consumer's tracked changes, a fresh claim and the operation's outcome as one batch without an explicit
/// transaction: a prepared batch (<see cref="PreparedClaimBatch"/>) where nothing but EF Core's insert logic would
/// act, otherwise one EF Core <c>SaveChanges</c>. PostgreSQL runs a batch as one implicit transaction (Npgsql sends
/// a single Sync), so all of it commits or none does; a duplicate fails the batch on the entry's primary key.
/// </summary>
internal static class FreshClaimBatch
{
    // A bound on the batch's size, well under Npgsql's default batch limit of 1,000 commands.
    private const int MaxChanges = 100;

    private static readonly ConcurrentDictionary<Type, bool> OverridesSave = new();

    /// <summary>
    /// Whether the provider runs a batch atomically and this context's changes are sure to be one batch of plain
    /// inserts. Updates and deletes are excluded because EF Core checks their row counts only after the batch has
    /// run, when it is already committed; so are inserts EF Core turns into something else or splits (owned types,
    /// JSON-mapped ones among them, table splitting, types mapped to several tables), keys the database generates (EF Core
    /// inserts the rows that refer to such a key in a later batch), the inbox's own entities, an open transaction,
    /// and contexts whose own save logic (a <c>SaveChanges</c> override or a save interceptor) could change the
    /// batch after this check.
    /// </summary>
    public static bool Fits(DbContext db, bool completesOperation)
    {
        if (!DatabaseProviders.Dialect(db).BatchesConsumerInserts
            || db.Database.CurrentTransaction is not null
            || System.Transactions.Transaction.Current is not null
            || HasOwnSaveLogic(db))
        {
            return false;
        }

        var inserts = 0;
        foreach (var entry in db.ChangeTracker.Entries())
        {
            switch (entry.State)
            {
                case EntityState.Added when entry.Entity is not (InboxEntry or InboxOperation) && IsPlainInsert(entry):
                    inserts++;
                    break;
                case EntityState.Unchanged when entry.Entity is InboxOperation:
                    // The outcome attaches its own operation entry; one the consumer loaded would clash with it.
                    return false;
                case EntityState.Added or EntityState.Modified or EntityState.Deleted:
                    return false;
            }
        }

        var relational = db.GetService<IDbContextOptions>().Extensions.OfType<RelationalOptionsExtension>().FirstOrDefault();
        var commands = inserts + (completesOperation ? 2 : 1);
        return commands <= Math.Min(MaxChanges, relational?.MaxBatchSize ?? MaxChanges) && commands >= (relational?.MinBatchSize ?? 1);
    }

    private static bool IsPlainInsert(EntityEntry entry)
    {
        var type = entry.Metadata;
        if (type.IsOwned())
        {
            return false;
        }

        var tables = 0;
        foreach (var mapping in type.GetTableMappings())
        {
            if (mapping.Table.IsShared || ++tables > 1)
            {
                return false;
            }
        }

        // A key (primary or alternate) the database writes whatever the application set is generated like a
        // temporary one, though its value is not temporary, and rows that refer to it wait for a later batch.
        return tables == 1
            && !entry.Properties.Any(p => p.IsTemporary)
            && type.GetKeys().All(key => key.Properties.All(p => p.GetBeforeSaveBehavior() == PropertySaveBehavior.Save));
    }

    private static bool HasOwnSaveLogic(DbContext db) =>
        OverridesSave.GetOrAdd(db.GetType(), static type => type
            .GetMethods(BindingFlags.Public | BindingFlags.Instance)
            .Any(m => m.Name is nameof(DbContext.SaveChanges) or nameof(DbContext.SaveChangesAsync) && m.DeclaringType != typeof(DbContext)))
        || db.GetService<IInterceptors>().Aggregate<ISaveChangesInterceptor>() is not null;

    /// <summary>
    /// Sends the prepared batch where it applies. Otherwise adds the claim (written as succeeded, with the result) and
    /// the operation's outcome to the tracked changes and saves them all; on failure they are taken back out of the
    /// change tracker. Either way, whether a failed batch committed is told by the entry's claim token (through
    /// EF Core, an operation that is gone or no longer accepted fails its row count check after the commit).
    /// </summary>
    public static async Task SaveAsync(
        DbContext db, InboxClaimRequest claim, string? resultJson, string? completesOperationId, CancellationToken cancellationToken)
    {
        if (PreparedClaimBatch.Inserts(db) is { } inserts)
        {
            await PreparedClaimBatch.SaveAsync(db, inserts, claim, resultJson, completesOperationId, cancellationToken).ConfigureAwait(false);
            return;
        }

        EntityEntry<InboxEntry>? entry = null;
        EntityEntry<InboxOperation>? attached = null;
        var transactions = db.Database.AutoTransactionBehavior;
        db.Database.AutoTransactionBehavior = AutoTransactionBehavior.Never;
        try
        {
            entry = db.Set<InboxEntry>().Add(new InboxEntry
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
            if (completesOperationId is not null)
            {
                attached = TrackSucceeded(db, completesOperationId, resultJson, claim.Now);
            }

            await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            entry?.State = EntityState.Detached;
            attached?.State = EntityState.Detached;
            throw;
        }
        finally
        {
            db.Database.AutoTransactionBehavior = transactions;
        }
    }

    /// <summary>
    /// Marks the operation succeeded: an update of these columns only, and only while the operation is still
    /// accepted (its status is a concurrency token). An operation in any other status, or gone, fails EF Core's row
    /// count check after the batch has committed, and the caller completes it by the guarded SQL statement, which
    /// leaves a succeeded operation as it is.
    /// </summary>
    private static EntityEntry<InboxOperation> TrackSucceeded(DbContext db, string operationId, string? resultJson, DateTimeOffset now)
    {
        var operation = db.Set<InboxOperation>().Attach(new InboxOperation { Id = operationId, Status = OperationStatus.Accepted });
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

        return operation;
    }
}
