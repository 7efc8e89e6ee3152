using Microsoft.EntityFrameworkCore;

namespace Inbox.Benchmarks;

/// <summary>The benchmark application's context: one table the consumers write to, next to the Inbox tables.</summary>
public sealed class BenchDbContext(DbContextOptions<BenchDbContext> options) : DbContext(options)
{
    public DbSet<BenchRow> Rows => Set<BenchRow>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.AddInbox();
        modelBuilder.Entity<BenchRow>(row =>
        {
            row.ToTable("bench_rows");
            row.HasKey(r => r.Id);
            row.Property(r => r.Id).HasColumnName("id");
            row.Property(r => r.Index).HasColumnName("index");
            row.Property(r => r.Text).HasColumnName("text").HasMaxLength(100);
        });
    }
}

public sealed class BenchRow
{
    public Guid Id { get; set; }

    public int Index { get; set; }

    public string Text { get; set; } = "";
}
