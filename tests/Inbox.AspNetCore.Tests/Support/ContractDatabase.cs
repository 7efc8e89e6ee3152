using Inbox.Testing;

namespace Inbox.AspNetCore.Tests.Support;

/// <summary>
/// The database a contract test runs on. SQL Server runs where one is configured or a Docker engine answers;
/// elsewhere its tests are reported as skipped with the reason, never passed.
/// </summary>
internal static class ContractDatabase
{
    public static Task<TestDatabase> CreateAsync(DatabaseKind kind)
    {
        if (kind == DatabaseKind.SqlServer)
        {
            Skip.If(SqlServerServer.UnavailableReason is not null, SqlServerServer.UnavailableReason);
        }

        return TestDatabase.CreateAsync(kind);
    }
}
