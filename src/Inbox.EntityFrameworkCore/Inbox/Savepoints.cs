using Microsoft.EntityFrameworkCore;

namespace Inbox.EntityFrameworkCore.Inbox;

internal static class Savepoints
{
    /// <summary>
    /// Runs <paramref name="action"/> with EF Core's automatic savepoints off: inside the inbox's transaction each
    /// SaveChanges would cost two more statements for a savepoint, and a failed attempt rolls the whole transaction
    /// back anyway.
    /// </summary>
    public static async Task<T> WithoutAsync<T>(DbContext db, Func<Task<T>> action)
    {
        var savepoints = db.Database.AutoSavepointsEnabled;
        db.Database.AutoSavepointsEnabled = false;
        try
        {
            return await action().ConfigureAwait(false);
        }
        finally
        {
            db.Database.AutoSavepointsEnabled = savepoints;
        }
    }
}
