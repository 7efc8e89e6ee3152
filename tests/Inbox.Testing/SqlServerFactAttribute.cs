using Xunit;

namespace Inbox.Testing;

/// <summary>
/// A fact that needs a live SQL Server. Where none can be had it is reported as skipped, with the reason.
/// </summary>
public sealed class SqlServerFactAttribute : FactAttribute
{
    /// <summary>Skips the test when no SQL Server is available.</summary>
    public SqlServerFactAttribute()
    {
        if (SqlServerServer.UnavailableReason is { } reason)
        {
            Skip = reason;
        }
    }
}
