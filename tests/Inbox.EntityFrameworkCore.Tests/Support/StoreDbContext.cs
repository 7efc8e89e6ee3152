using Microsoft.EntityFrameworkCore;

namespace Inbox.EntityFrameworkCore.Tests.Support;

public sealed class StoreDbContext(DbContextOptions<StoreDbContext> options) : DbContext(options)
{
    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.AddInbox();
        modelBuilder.Entity<AuditRow>().ToTable("audit_rows");
    }
}

/// <summary>An application row with an application-set key, in a table EF Core writes before the inbox's tables.</summary>
public sealed class AuditRow
{
    public Guid Id { get; set; } = Guid.NewGuid();

    public string Text { get; set; } = "";
}
