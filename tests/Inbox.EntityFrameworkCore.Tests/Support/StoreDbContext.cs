using Microsoft.EntityFrameworkCore;

namespace Inbox.EntityFrameworkCore.Tests.Support;

public sealed class StoreDbContext(DbContextOptions<StoreDbContext> options) : DbContext(options)
{
    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.AddInbox();
        modelBuilder.Entity<AuditRow>().ToTable("audit_rows");

        var rich = modelBuilder.Entity<RichRow>().ToTable("rich_rows");
        rich.Property(r => r.Kind).HasConversion<string>();
        rich.Property<string>("Source");
        modelBuilder.Entity<LedgerLine>().ToTable("ledger_lines");
        modelBuilder.Entity<CreditLine>();
    }
}

/// <summary>An application row with an application-set key, in a table EF Core writes before the inbox's tables.</summary>
public sealed class AuditRow
{
    public Guid Id { get; set; } = Guid.NewGuid();

    public string Text { get; set; } = "";
}

/// <summary>A row whose values take EF Core's mappings: a converted enum, nulls, an array, a shadow property.</summary>
public sealed class RichRow
{
    public Guid Id { get; set; } = Guid.NewGuid();

    public RowKind Kind { get; set; }

    public int? Count { get; set; }

    public decimal Amount { get; set; }

    public DateTimeOffset At { get; set; }

    public List<string> Tags { get; set; } = [];

    public string? Note { get; set; }
}

public enum RowKind
{
    Plain,
    Special,
}

/// <summary>One table for a hierarchy: EF Core writes a discriminator.</summary>
public class LedgerLine
{
    public Guid Id { get; set; } = Guid.NewGuid();

    public string Text { get; set; } = "";
}

public sealed class CreditLine : LedgerLine
{
    public decimal Credit { get; set; }
}
