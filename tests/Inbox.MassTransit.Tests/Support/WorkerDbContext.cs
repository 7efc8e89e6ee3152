using Microsoft.EntityFrameworkCore;

namespace Inbox.MassTransit.Tests.Support;

/// <summary>An application's context: its own claim table next to the inbox tables, in one database.</summary>
public sealed class WorkerDbContext(DbContextOptions<WorkerDbContext> options) : DbContext(options)
{
    public DbSet<ClaimRecord> Claims => Set<ClaimRecord>();

    public DbSet<NoteRecord> Notes => Set<NoteRecord>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.AddInbox();
        modelBuilder.Entity<ClaimRecord>().ToTable("claims");
        modelBuilder.Entity<NoteRecord>().ToTable("notes");
    }
}

public sealed class ClaimRecord
{
    public Guid Id { get; set; }

    public string? OperationId { get; set; }

    public string PatientId { get; set; } = "";
}

public sealed class NoteRecord
{
    public Guid Id { get; set; }

    public string Text { get; set; } = "";
}
