using Inbox.EntityFrameworkCore.Sql;
using Inbox.Operating;
using Inbox.Stores;
using Microsoft.EntityFrameworkCore;

namespace Inbox.EntityFrameworkCore.Stores;

/// <summary>The health check's read over <typeparamref name="TDbContext"/>: one statement of two scalar subqueries.</summary>
internal sealed class EntityFrameworkOperationHealthStore<TDbContext>(TDbContext db) : IOperationHealthStore
    where TDbContext : DbContext
{
    public async ValueTask<OperationHealthFigures> ReadHealthAsync(DateTimeOffset failedSince, CancellationToken cancellationToken)
    {
        try
        {
            // SQLite compares the stored UTC text, so the bound time has to be UTC as well.
            var values = new HealthValues(failedSince.ToUniversalTime());
            var reader = await RawSql.ReadAsync(db, OperationSql.For(db).Health, values, cancellationToken).ConfigureAwait(false);
            await using var readerLease = reader.ConfigureAwait(false);
            var row = reader.DbDataReader;
            await row.ReadAsync(cancellationToken).ConfigureAwait(false);
            return new OperationHealthFigures(
                row.IsDBNull(0) ? null : row.GetFieldValue<DateTimeOffset>(0),
                // COUNT(*) is bigint on PostgreSQL, integer on SQLite, int on SQL Server.
                Convert.ToInt64(row.GetValue(1), System.Globalization.CultureInfo.InvariantCulture));
        }
        catch (Exception exception) when (DatabaseErrors.IsUnavailable(exception, cancellationToken))
        {
            throw new InboxStoreUnavailableException("The health check could not read the store: the database is unavailable.", exception);
        }
    }
}
