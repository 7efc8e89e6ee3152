using System.Data.Common;
using System.Reflection;
using Inbox.Claims;
using Inbox.EntityFrameworkCore.Sql;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Storage;

namespace Inbox.EntityFrameworkCore.Inbox;

/// <summary>
/// The one-batch save without EF Core's update pipeline: the claim, the consumer's inserts (the statements EF Core
/// would send, from the model's table mappings, parameters made by the same type mappings) and the operation's
/// completion go as one ADO.NET batch of statements prepared once per connection (unless Npgsql multiplexes).
/// PostgreSQL runs the batch as one implicit transaction. Taken only where nothing but EF Core's own insert logic
/// would act on the save; the README's SavedByInbox section lists when EF Core sends the batch instead.
/// </summary>
internal static class PreparedClaimBatch
{
    // Field-like events: handlers the application attached to the context, which only SaveChanges raises.
    private static readonly FieldInfo?[] SaveEvents =
    [
        .. new[] { nameof(DbContext.SavingChanges), nameof(DbContext.SavedChanges), nameof(DbContext.SaveChangesFailed) }
            .Select(name => typeof(DbContext).GetField(name, BindingFlags.Instance | BindingFlags.NonPublic)),
    ];

    /// <summary>
    /// The tracked inserts with their statements, or <see langword="null"/> when the save needs EF Core: handlers of
    /// the context's save events, command interceptors, an insert <see cref="PreparedInsert.For"/> cannot write, or
    /// inserts that may refer to one another. Call after <see cref="FreshClaimBatch.Fits"/>, which leaves only plain inserts.
    /// </summary>
    public static List<(EntityEntry Entry, PreparedInsert Insert)>? Inserts(DbContext db)
    {
        if (!db.Database.GetDbConnection().CanCreateBatch
            || SaveEvents.Any(field => field is null || field.GetValue(db) is not null)
            || db.GetService<IInterceptors>().Aggregate<IDbCommandInterceptor>() is not null)
        {
            return null;
        }

        var sql = db.GetService<ISqlGenerationHelper>();
        var inserts = new List<(EntityEntry, PreparedInsert)>();
        foreach (var entry in db.ChangeTracker.Entries())
        {
            if (entry.State != EntityState.Added)
            {
                continue;
            }

            if (PreparedInsert.For(entry.Metadata, sql) is not { } insert)
            {
                return null;
            }

            inserts.Add((entry, insert));
        }

        return RefersToAnother(inserts) ? null : inserts;
    }

    /// <summary>
    /// Whether one insert may refer to another by a foreign key: EF Core orders such rows, principals first, and a
    /// batch in tracking order could break the constraint. Judged by type, so it errs towards EF Core.
    /// </summary>
    private static bool RefersToAnother(List<(EntityEntry Entry, PreparedInsert Insert)> inserts)
    {
        foreach (var (dependant, _) in inserts)
        {
            foreach (var foreignKey in dependant.Metadata.GetForeignKeys())
            {
                if (inserts.Any(other => other.Entry != dependant && foreignKey.PrincipalEntityType.IsAssignableFrom(other.Entry.Metadata)))
                {
                    return true;
                }
            }
        }

        return false;
    }

    /// <summary>
    /// Sends the claim (written as succeeded, with the result), the inserts and the operation's completion (which
    /// leaves a succeeded operation as it is) as one batch, then accepts the tracked changes. A failure (a duplicate
    /// on the entry's key, or one of the consumer's rows) saves nothing and is a <see cref="DbUpdateException"/>.
    /// </summary>
    public static async Task SaveAsync(
        DbContext db, List<(EntityEntry Entry, PreparedInsert Insert)> inserts, InboxClaimRequest claim, string? resultJson,
        string? completesOperationId, CancellationToken cancellationToken)
    {
        var sql = InboxEntrySql.For(db);
        await db.Database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var connection = db.Database.GetDbConnection();
            var batch = connection.CreateBatch();
            await using var batchLease = batch.ConfigureAwait(false);
            if (db.Database.GetCommandTimeout() is { } timeout)
            {
                batch.Timeout = timeout;
            }

            Add(batch, sql.InsertSucceededBatched!, claim.Consumer, claim.MessageKey, claim.OperationId, claim.ClaimToken, claim.Now, claim.ExpiresAt, resultJson);

            // The type mappings make parameters through a command (this spare one); they are added to the batch's commands.
            var parameters = connection.CreateCommand();
            await using var parametersLease = parameters.ConfigureAwait(false);
            foreach (var (entry, insert) in inserts)
            {
                var command = batch.CreateBatchCommand();
                command.CommandText = insert.Sql;
                var values = entry.CurrentValues;
                foreach (var column in insert.Columns)
                {
                    command.Parameters.Add(column.TypeMapping.CreateParameter(parameters, string.Empty, values[column.Property], column.Property.IsNullable));
                }

                batch.BatchCommands.Add(command);
            }

            if (completesOperationId is not null)
            {
                Add(batch, sql.SucceedOperationBatched!, completesOperationId, resultJson, claim.Now);
            }

            if (RawSql.CanPrepare(connection))
            {
                await batch.PrepareAsync(cancellationToken).ConfigureAwait(false);
            }

            await batch.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            // As EF Core's SaveChanges reports any failure of its batch.
            throw new DbUpdateException(
                "The consumer's inserts and the inbox claim were not saved: see the inner exception.", exception, [.. inserts.Select(i => i.Entry)]);
        }
        finally
        {
            await db.Database.CloseConnectionAsync().ConfigureAwait(false);
        }

        db.ChangeTracker.AcceptAllChanges();
    }

    private static void Add(DbBatch batch, string sql, params object?[] values)
    {
        var command = batch.CreateBatchCommand();
        command.CommandText = sql;
        foreach (var value in values)
        {
            var parameter = command.CreateParameter();
            RawSql.Bind(parameter, value);
            command.Parameters.Add(parameter);
        }

        batch.BatchCommands.Add(command);
    }
}
