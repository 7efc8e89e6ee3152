using Microsoft.EntityFrameworkCore;

namespace Inbox.EntityFrameworkCore.Tests.Support;

public sealed class StoreDbContext(DbContextOptions<StoreDbContext> options) : DbContext(options)
{
    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.AddInbox();
        modelBuilder.Entity<NumberedRow>().ToTable("numbered_rows");
    }
}

/// <summary>An application row whose key the database generates (an identity column).</summary>
public sealed class NumberedRow
{
    public int Id { get; set; }

    public string Text { get; set; } = "";
}
