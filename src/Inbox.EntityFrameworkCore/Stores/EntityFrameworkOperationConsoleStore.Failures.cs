using Inbox.Operating;
using Inbox.Operations;
using Microsoft.EntityFrameworkCore;

namespace Inbox.EntityFrameworkCore.Stores;

/// <summary>Failures grouped by error code and endpoint.</summary>
internal sealed partial class EntityFrameworkOperationConsoleStore<TDbContext>
{
    public ValueTask<IReadOnlyList<FailureGroup>> ListFailuresAsync(string? tenant, string? endpoint, int limit, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        return ReadAsync(async () =>
        {
            var failed = Operations(tenant).Where(o => o.Status == OperationStatus.Failed && o.ErrorCode != null);
            if (endpoint is not null)
            {
                failed = failed.Where(o => o.Endpoint == endpoint);
            }

            var grouped = failed.GroupBy(o => new { ErrorCode = o.ErrorCode!, o.Endpoint });
            var groups = IsSqlite
                ? (await grouped.Select(g => new { g.Key.ErrorCode, g.Key.Endpoint, Count = g.LongCount(), Newest = g.Max(o => o.UpdatedAt.ToString()) })
                    .OrderByDescending(g => g.Newest).Take(limit)
                    .ToListAsync(cancellationToken).ConfigureAwait(false))
                    .Select(g => (g.ErrorCode, g.Endpoint, g.Count))
                : (await grouped.Select(g => new { g.Key.ErrorCode, g.Key.Endpoint, Count = g.LongCount(), Newest = g.Max(o => o.UpdatedAt) })
                    .OrderByDescending(g => g.Newest).Take(limit)
                    .ToListAsync(cancellationToken).ConfigureAwait(false))
                    .Select(g => (g.ErrorCode, g.Endpoint, g.Count));

            // One indexed read per group for its newest example; groups are few (error codes by endpoint).
            var result = new List<FailureGroup>();
            foreach (var (errorCode, groupEndpoint, count) in groups.ToList())
            {
                var members = failed.Where(o => o.ErrorCode == errorCode && o.Endpoint == groupEndpoint);
                var newest = await (IsSqlite ? members.OrderByDescending(o => o.UpdatedAt.ToString()) : members.OrderByDescending(o => o.UpdatedAt))
                    .ThenByDescending(o => o.Id)
                    .Select(ToSummary)
                    .FirstOrDefaultAsync(cancellationToken).ConfigureAwait(false);

                // Redriven or swept between the two reads.
                if (newest is not null)
                {
                    result.Add(new FailureGroup(errorCode, groupEndpoint, count, newest));
                }
            }

            return (IReadOnlyList<FailureGroup>)result;
        }, cancellationToken);
    }
}
