using Microsoft.EntityFrameworkCore;

namespace Inbox.Samples.Data;

/// <summary>
/// The application's one context: the claims and patients tables and the Inbox tables, so a claim and its inbox outcome
/// commit in one transaction. SQLite uses this type (created on first run); PostgreSQL and SQL Server use the
/// subclasses that own their migrations.
/// </summary>
public class SamplesDbContext : DbContext
{
    public SamplesDbContext(DbContextOptions<SamplesDbContext> options)
        : base(options)
    {
    }

    protected SamplesDbContext(DbContextOptions options)
        : base(options)
    {
    }

    public DbSet<ClaimRow> Claims => Set<ClaimRow>();

    public DbSet<PatientRow> Patients => Set<PatientRow>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.AddInbox();
        modelBuilder.Entity<ClaimRow>(claim =>
        {
            claim.ToTable("claims");
            claim.HasKey(c => c.Id);
            claim.Property(c => c.Id).HasColumnName("id").HasMaxLength(40);
            claim.Property(c => c.OperationId).HasColumnName("operation_id").HasMaxLength(40);
            claim.Property(c => c.PatientId).HasColumnName("patient_id").HasMaxLength(100);
            claim.Property(c => c.PayerId).HasColumnName("payer_id").HasMaxLength(100);
            claim.Property(c => c.AmountCents).HasColumnName("amount_cents");
            claim.Property(c => c.ServiceCodes).HasColumnName("service_codes").HasMaxLength(500);
            claim.Property(c => c.SubmittedAt).HasColumnName("submitted_at");
            claim.HasIndex(c => c.OperationId).HasDatabaseName("ix_claims_operation_id");
        });
        modelBuilder.Entity<PatientRow>(patient =>
        {
            patient.ToTable("patients");
            patient.HasKey(p => p.Id);
            patient.Property(p => p.Id).HasColumnName("id").HasMaxLength(40);
            patient.Property(p => p.TenantId).HasColumnName("tenant_id").HasMaxLength(200);
            patient.Property(p => p.FirstName).HasColumnName("first_name").HasMaxLength(100);
            patient.Property(p => p.LastName).HasColumnName("last_name").HasMaxLength(100);
            patient.Property(p => p.DateOfBirth).HasColumnName("date_of_birth");
            patient.Property(p => p.CreatedAt).HasColumnName("created_at");
            patient.Property(p => p.UpdatedAt).HasColumnName("updated_at");
        });
    }
}

/// <summary>The PostgreSQL flavour, which owns the PostgreSQL migrations.</summary>
public sealed class PostgresSamplesDbContext(DbContextOptions<PostgresSamplesDbContext> options) : SamplesDbContext(options);

/// <summary>The SQL Server flavour, which owns the SQL Server migrations.</summary>
public sealed class SqlServerSamplesDbContext(DbContextOptions<SqlServerSamplesDbContext> options) : SamplesDbContext(options);
