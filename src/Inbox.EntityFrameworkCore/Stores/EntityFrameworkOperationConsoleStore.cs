using System.Linq.Expressions;
using System.Globalization;
using Inbox.EntityFrameworkCore.Model;
using Inbox.EntityFrameworkCore.Sql;
using Inbox.Operating;
using Inbox.Operations;
using Inbox.Stores;
using Microsoft.EntityFrameworkCore;

namespace Inbox.EntityFrameworkCore.Stores;

/// <summary>
/// The console's reads over <typeparamref name="TDbContext"/>: plain untracked LINQ, since an operator's page is no
/// hot path. Every query starts from <see cref="Operations"/>, which applies the tenant scope.
/// </summary>
internal sealed partial class EntityFrameworkOperationConsoleStore<TDbContext>(TDbContext db) : IOperationConsoleStore
    where TDbContext : DbContext
{
    private static readonly Expression<Func<InboxOperation, OperationSummary>> ToSummary = o => new OperationSummary
    {
        Id = o.Id,
        Tenant = o.TenantId,
        Endpoint = o.Endpoint,
        IdempotencyKey = o.IdempotencyKey,
        Status = o.Status,
        CreatedAt = o.CreatedAt,
        UpdatedAt = o.UpdatedAt,
        ErrorCode = o.ErrorCode,
    };

    public ValueTask<OperationCounts> CountAsync(string? tenant, CancellationToken cancellationToken) =>
        ReadAsync(async () =>
        {
            var counts = await Operations(tenant)
                .GroupBy(o => new { o.Endpoint, o.Status })
                .Select(g => new { g.Key.Endpoint, g.Key.Status, Count = g.LongCount() })
                .ToListAsync(cancellationToken).ConfigureAwait(false);
            var unfinished = Operations(tenant)
                .Where(o => o.Status == OperationStatus.Accepted || o.Status == OperationStatus.Processing)
                .GroupBy(o => o.Endpoint);
            var backlogs = IsSqlite
                ? (await unfinished.Select(g => new { Endpoint = g.Key, Oldest = g.Min(o => o.CreatedAt.ToString()) })
                    .ToListAsync(cancellationToken).ConfigureAwait(false))
                    .Select(b => new EndpointBacklog(b.Endpoint, DateTimeOffset.Parse(b.Oldest!, CultureInfo.InvariantCulture)))
                : (await unfinished.Select(g => new { Endpoint = g.Key, Oldest = g.Min(o => o.CreatedAt) })
                    .ToListAsync(cancellationToken).ConfigureAwait(false))
                    .Select(b => new EndpointBacklog(b.Endpoint, b.Oldest));
            return new OperationCounts(
                [.. counts.OrderBy(c => c.Endpoint, StringComparer.Ordinal).ThenBy(c => c.Status).Select(c => new OperationCount(c.Endpoint, c.Status, c.Count))],
                [.. backlogs.OrderBy(b => b.Endpoint, StringComparer.Ordinal)]);
        }, cancellationToken);

    public ValueTask<OperationPage> ListAsync(OperationListQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentOutOfRangeException.ThrowIfLessThan(query.Limit, 1);
        return ReadAsync(async () =>
        {
            var operations = Operations(query.Tenant);
            if (query.Status is { } status)
            {
                operations = operations.Where(o => o.Status == status);
            }

            if (query.Endpoint is { } endpoint)
            {
                operations = operations.Where(o => o.Endpoint == endpoint);
            }

            if (query.IdempotencyKey is { } key)
            {
                operations = operations.Where(o => o.IdempotencyKey == key);
            }

            operations = IsSqlite ? FilterTimesAsText(operations, query) : FilterTimes(operations, query);

            // One row past the limit says whether another page follows.
            var ordered = IsSqlite
                ? operations.OrderByDescending(o => o.CreatedAt.ToString())
                : operations.OrderByDescending(o => o.CreatedAt);
            var rows = await ordered.ThenByDescending(o => o.Id)
                .Take(query.Limit + 1)
                .Select(ToSummary)
                .ToListAsync(cancellationToken).ConfigureAwait(false);
            if (rows.Count <= query.Limit)
            {
                return new OperationPage(rows, Next: null);
            }

            rows.RemoveAt(rows.Count - 1);
            var last = rows[^1];
            return new OperationPage(rows, new OperationCursor(last.CreatedAt, last.Id));
        }, cancellationToken);
    }

    public ValueTask<OperationDetail?> FindAsync(string? tenant, string operationId, bool includeBodies, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(operationId);
        return ReadAsync(async () =>
        {
            var summary = await Operations(tenant).Where(o => o.Id == operationId).Select(ToSummary)
                .SingleOrDefaultAsync(cancellationToken).ConfigureAwait(false);
            var operation = summary is null ? null : await Operations(tenant)
                .Where(o => o.Id == operationId)
                .Select(o => new
                {
                    o.ErrorMessage, o.RequestId, o.MessageType, o.ResponseStatus, o.ExpiresAt, o.RelayAttempts,
                    ResponseBody = includeBodies ? o.ResponseBody : null,
                    MessageBody = includeBodies ? o.MessageBody : null,
                    Result = includeBodies ? o.Result : null,
                })
                .SingleOrDefaultAsync(cancellationToken).ConfigureAwait(false);

            // Swept between the two reads, or never in scope.
            if (summary is null || operation is null)
            {
                return null;
            }

            // Read only once the operation is known to be in scope, so another tenant's id reads no entries.
            var entries = await db.Set<InboxEntry>().AsNoTracking()
                .Where(e => e.OperationId == summary.Id)
                .OrderBy(e => e.Consumer)
                .Select(e => new InboxEntryDetail
                {
                    Consumer = e.Consumer,
                    Status = e.Status,
                    Attempt = e.Attempt,
                    LeaseExpiresAt = e.LeaseExpiresAt,
                    ErrorCode = e.ErrorCode,
                    ErrorMessage = e.ErrorMessage,
                    CreatedAt = e.CreatedAt,
                    UpdatedAt = e.UpdatedAt,
                })
                .ToListAsync(cancellationToken).ConfigureAwait(false);

            return new OperationDetail
            {
                Summary = summary,
                RequestId = operation.RequestId,
                MessageType = operation.MessageType,
                ResponseStatus = operation.ResponseStatus,
                ErrorMessage = operation.ErrorMessage,
                ExpiresAt = operation.ExpiresAt,
                RelayAttempts = operation.RelayAttempts,
                InboxEntries = entries,
                ResponseBody = operation.ResponseBody,
                MessageBody = operation.MessageBody,
                ResultJson = operation.Result,
            };
        }, cancellationToken);
    }

    // EF Core's SQLite provider neither orders nor aggregates DateTimeOffset, which it stores as text. Every Inbox
    // time is written in UTC, so there the text orders as the instants do (the raw SQL statements compare it the same way).
    private bool IsSqlite => DatabaseProviders.Detect(db) == DatabaseProvider.Sqlite;

    private static IQueryable<InboxOperation> FilterTimes(IQueryable<InboxOperation> operations, OperationListQuery query)
    {
        if (query.CreatedFrom is { } from)
        {
            operations = operations.Where(o => o.CreatedAt >= from);
        }

        if (query.CreatedBefore is { } before)
        {
            operations = operations.Where(o => o.CreatedAt < before);
        }

        if (query.After is { } after)
        {
            var createdAt = after.CreatedAt;
            var id = after.Id;
            // The first bound repeats what the rest implies, so the database starts its index scan at the cursor
            // instead of filtering every newer row (PostgreSQL does not turn the OR into an index bound).
            operations = operations.Where(o => o.CreatedAt <= createdAt
                && (o.CreatedAt < createdAt || (o.CreatedAt == createdAt && string.Compare(o.Id, id) < 0)));
        }

        return operations;
    }

    // The same filters over SQLite's stored text.
    private static IQueryable<InboxOperation> FilterTimesAsText(IQueryable<InboxOperation> operations, OperationListQuery query)
    {
        if (query.CreatedFrom is { } from)
        {
            var text = SqliteText(from);
            operations = operations.Where(o => string.Compare(o.CreatedAt.ToString(), text) >= 0);
        }

        if (query.CreatedBefore is { } before)
        {
            var text = SqliteText(before);
            operations = operations.Where(o => string.Compare(o.CreatedAt.ToString(), text) < 0);
        }

        if (query.After is { } after)
        {
            var createdAt = SqliteText(after.CreatedAt);
            var id = after.Id;
            operations = operations.Where(o => string.Compare(o.CreatedAt.ToString(), createdAt) <= 0
                && (string.Compare(o.CreatedAt.ToString(), createdAt) < 0 || (o.CreatedAt.ToString() == createdAt && string.Compare(o.Id, id) < 0)));
        }

        return operations;
    }

    // How Microsoft.Data.Sqlite writes a DateTimeOffset.
    private static string SqliteText(DateTimeOffset value) =>
        value.ToUniversalTime().ToString("yyyy-MM-dd HH:mm:ss.FFFFFFFzzz", CultureInfo.InvariantCulture);

    // The tenant scope of every console query: no query reads the table without passing here.
    private IQueryable<InboxOperation> Operations(string? tenant)
    {
        var operations = db.Set<InboxOperation>().AsNoTracking();
        return tenant is null ? operations : operations.Where(o => o.TenantId == tenant);
    }

    private static async ValueTask<T> ReadAsync<T>(Func<Task<T>> read, CancellationToken cancellationToken)
    {
        try
        {
            return await read().ConfigureAwait(false);
        }
        catch (Exception exception) when (DatabaseErrors.IsUnavailable(exception, cancellationToken))
        {
            throw new InboxStoreUnavailableException("The operations console could not read the store: the database is unavailable.", exception);
        }
    }
}
