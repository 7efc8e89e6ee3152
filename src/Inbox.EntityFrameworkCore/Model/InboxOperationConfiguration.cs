using Inbox.Fingerprints;
using Inbox.Keys;
using Inbox.Operations;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Inbox.EntityFrameworkCore.Model;

internal sealed class InboxOperationConfiguration(InboxModelOptions options, string? keyCollation) : IEntityTypeConfiguration<InboxOperation>
{
    public const string ScopeKeyIndex = "ux_inbox_operations_scope_key";

    public void Configure(EntityTypeBuilder<InboxOperation> builder)
    {
        builder.ToTable(options.OperationsTable, options.Schema);
        builder.HasKey(o => o.Id);

        builder.Property(o => o.Id).HasColumnName("id").HasMaxLength(40).IsUnicode(false).UseKeyCollation(keyCollation);
        builder.Property(o => o.TenantId).HasColumnName("tenant_id").HasMaxLength(OperationScope.MaxTenantLength).UseKeyCollation(keyCollation);
        builder.Property(o => o.Endpoint).HasColumnName("endpoint").HasMaxLength(OperationScope.MaxEndpointLength).UseKeyCollation(keyCollation);
        builder.Property(o => o.IdempotencyKey).HasColumnName("idempotency_key").HasMaxLength(IdempotencyKey.MaxLength).IsUnicode(false).UseKeyCollation(keyCollation);
        builder.Property(o => o.Fingerprint).HasColumnName("fingerprint").HasMaxLength(RequestFingerprint.Length);
        // A concurrency token so that the consumer inbox's one-batch completion, when EF Core sends that batch (the
        // only EF Core update of this entity; the prepared batch guards its own UPDATE), changes only an operation
        // still accepted; any other is completed by SQL that never touches a succeeded operation. It changes no
        // column, so it needs no migration.
        builder.Property(o => o.Status).HasColumnName("status").IsConcurrencyToken();
        builder.Property(o => o.RequestId).HasColumnName("request_id").HasMaxLength(40).IsUnicode(false);
        builder.Property(o => o.ResponseStatus).HasColumnName("response_status");
        builder.Property(o => o.ResponseHeaders).HasColumnName("response_headers");
        builder.Property(o => o.ResponseBody).HasColumnName("response_body");
        builder.Property(o => o.MessageType).HasColumnName("message_type").HasMaxLength(500);
        builder.Property(o => o.MessageBody).HasColumnName("message_body");
        builder.Property(o => o.Result).HasColumnName("result");
        builder.Property(o => o.ErrorCode).HasColumnName("error_code").HasMaxLength(100);
        builder.Property(o => o.ErrorMessage).HasColumnName("error_message").HasMaxLength(2000);
        builder.Property(o => o.CreatedAt).HasColumnName("created_at");
        builder.Property(o => o.UpdatedAt).HasColumnName("updated_at");
        builder.Property(o => o.ExpiresAt).HasColumnName("expires_at");
        builder.Property(o => o.RelayAt).HasColumnName("relay_at");
        // A database default, so that inserts which do not name the column (ours, and older SQL) start at zero.
        builder.Property(o => o.RelayAttempts).HasColumnName("relay_attempts").HasDefaultValue(0);
        builder.Property(o => o.LeaseToken).HasColumnName("lease_token").HasMaxLength(32).IsUnicode(false).UseKeyCollation(keyCollation);
        builder.Property(o => o.LeaseExpiresAt).HasColumnName("lease_expires_at");

        // The arbiter of "one operation per key": every acceptance is an insert against this index.
        builder.HasIndex(o => new { o.TenantId, o.Endpoint, o.IdempotencyKey })
            .IsUnique()
            .HasDatabaseName(ScopeKeyIndex);
        builder.HasIndex(o => o.ExpiresAt).HasDatabaseName("ix_inbox_operations_expires_at").HasAnnotation(InboxEntryConfiguration.BrinOnPostgreSql, "brin");
        builder.HasIndex(o => o.RelayAt)
            .HasFilter("status < 2")
            .HasDatabaseName("ix_inbox_operations_relay_at");

        // The operations console's reads (docs/benchmarks.md, "console", has their plans over 1,000,000 rows). Counts by
        // endpoint and status are index-only scans of this one; B-tree deduplication keeps it a few MB.
        builder.HasIndex(o => new { o.TenantId, o.Endpoint, o.Status }).HasDatabaseName("ix_inbox_operations_tenant_endpoint_status");
        // The list, newest first with its keyset (created_at, id): all tenants, and one tenant's.
        builder.HasIndex(o => new { o.CreatedAt, o.Id }).HasDatabaseName("ix_inbox_operations_created_at");
        builder.HasIndex(o => new { o.TenantId, o.CreatedAt, o.Id }).HasDatabaseName("ix_inbox_operations_tenant_created_at");
        // Failures in a recent window (a health check): only failed rows are in it, so accepting an operation never writes to it.
        builder.HasIndex(o => o.UpdatedAt)
            .HasFilter("status = 3")
            .HasDatabaseName("ix_inbox_operations_failed_updated_at");
    }
}
