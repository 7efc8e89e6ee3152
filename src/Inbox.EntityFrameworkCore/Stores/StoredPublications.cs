using Inbox.EntityFrameworkCore.Sql;
using Inbox.Operations;
using Inbox.Publishing;
using Microsoft.EntityFrameworkCore;

namespace Inbox.EntityFrameworkCore.Stores;

/// <summary>Reads the operations a statement made due for publishing, in the columns the relay's claim returns them.</summary>
internal static class StoredPublications
{
    /// <summary>
    /// Runs <paramref name="statement"/>, whose rows are id, tenant, endpoint, key, message type, message body, expires at
    /// and relay attempts, and reads them.
    /// </summary>
    public static async Task<List<StoredPublication>> ReadAsync<TValues>(
        DbContext db, Statement<TValues> statement, TValues values, CancellationToken cancellationToken)
    {
        var publications = new List<StoredPublication>();
        var reader = await RawSql.ReadAsync(db, statement, values, cancellationToken).ConfigureAwait(false);
        await using var readerLease = reader.ConfigureAwait(false);
        var row = reader.DbDataReader;
        while (await row.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            publications.Add(new StoredPublication
            {
                OperationId = row.GetString(0),
                Scope = new OperationScope(row.GetString(1), row.GetString(2)),
                IdempotencyKey = row.IsDBNull(3) ? null : row.GetString(3),
                MessageType = row.GetString(4),
                MessageBody = row.GetFieldValue<byte[]>(5),
                ExpiresAt = row.GetFieldValue<DateTimeOffset>(6),
                RelayAttempts = row.GetInt32(7),
            });
        }

        return publications;
    }
}
