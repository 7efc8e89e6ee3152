using Inbox.EntityFrameworkCore.Model;
using Inbox.EntityFrameworkCore.Sql;
using Inbox.EntityFrameworkCore.Tests.Support;
using Inbox.Operations;
using Inbox.Testing;
using Microsoft.EntityFrameworkCore;

namespace Inbox.EntityFrameworkCore.Tests.Stores;

/// <summary>Each provider's duplicate-key error is recognised (SQL Server: errors 2627 and 2601).</summary>
public abstract class UniqueViolationTests
{
    protected abstract DatabaseKind Kind { get; }

    private static InboxOperation Row(string id) => new()
    {
        Id = id,
        TenantId = "org_a",
        Endpoint = "POST /claims",
        IdempotencyKey = "key-1",
        Fingerprint = new byte[32],
        RequestId = RandomIds.NewRequestId(),
        ResponseStatus = 202,
        MessageType = "none",
        CreatedAt = StoreFixture.Start,
        UpdatedAt = StoreFixture.Start,
        ExpiresAt = StoreFixture.Start.AddHours(1),
        RelayAt = StoreFixture.Start,
    };

    [SkippableFact]
    public async Task Duplicate_scope_and_key_is_recognised_as_a_unique_violation()
    {
        await using var fixture = await StoreFixture.CreateAsync(Kind);
        await using (var db = fixture.CreateDbContext())
        {
            db.Add(Row(RandomIds.NewOperationId()));
            await db.SaveChangesAsync();
        }

        await using var second = fixture.CreateDbContext();
        second.Add(Row(RandomIds.NewOperationId()));
        var error = await Assert.ThrowsAsync<DbUpdateException>(() => second.SaveChangesAsync());

        Assert.True(DatabaseErrors.IsUniqueViolation(error));
    }

    [SkippableFact]
    public async Task Duplicate_primary_key_is_recognised_and_other_errors_are_not()
    {
        await using var fixture = await StoreFixture.CreateAsync(Kind);
        var id = RandomIds.NewOperationId();
        await using (var db = fixture.CreateDbContext())
        {
            db.Add(Row(id));
            await db.SaveChangesAsync();
        }

        await using var second = fixture.CreateDbContext();
        var duplicate = Row(id);
        duplicate.IdempotencyKey = "key-2";
        second.Add(duplicate);
        var error = await Assert.ThrowsAsync<DbUpdateException>(() => second.SaveChangesAsync());
        Assert.True(DatabaseErrors.IsUniqueViolation(error));

        await using var third = fixture.CreateDbContext();
        var other = await Assert.ThrowsAnyAsync<Exception>(() => third.Database.ExecuteSqlRawAsync("SELECT * FROM no_such_table"));
        Assert.False(DatabaseErrors.IsUniqueViolation(other));
    }
}

public sealed class PostgresUniqueViolationTests : UniqueViolationTests
{
    protected override DatabaseKind Kind => DatabaseKind.PostgreSql;
}

public sealed class SqliteUniqueViolationTests : UniqueViolationTests
{
    protected override DatabaseKind Kind => DatabaseKind.Sqlite;
}

public sealed class SqlServerUniqueViolationTests : UniqueViolationTests
{
    protected override DatabaseKind Kind => DatabaseKind.SqlServer;
}
