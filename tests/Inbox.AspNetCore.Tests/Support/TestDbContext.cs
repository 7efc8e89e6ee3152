using Microsoft.EntityFrameworkCore;

namespace Inbox.AspNetCore.Tests.Support;

public sealed class TestDbContext(DbContextOptions<TestDbContext> options) : DbContext(options)
{
    public DbSet<TestPatient> Patients => Set<TestPatient>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.AddInbox();
        modelBuilder.Entity<TestPatient>(patient =>
        {
            patient.ToTable("test_patients");
            patient.HasKey(p => p.Id);
            patient.Property(p => p.Id).HasMaxLength(40);
            patient.Property(p => p.Name).HasMaxLength(200);
        });
    }
}
