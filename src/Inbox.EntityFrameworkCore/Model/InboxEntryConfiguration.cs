using Inbox.Claims;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Inbox.EntityFrameworkCore.Model;

internal sealed class InboxEntryConfiguration(InboxModelOptions options, string? keyCollation) : IEntityTypeConfiguration<InboxEntry>
{
    public const int MaxConsumerLength = InboxEntryLimits.MaxConsumerLength;
    public const int MaxMessageKeyLength = InboxEntryLimits.MaxMessageKeyLength;

    // Rows arrive in expiry order, so on PostgreSQL a BRIN index serves the sweeper at a fraction of a B-tree's
    // cost per insert. The annotation is Npgsql's; other providers ignore it and build a B-tree.
    public const string BrinOnPostgreSql = "Npgsql:IndexMethod";

    public void Configure(EntityTypeBuilder<InboxEntry> builder)
    {
        builder.ToTable(options.InboxEntriesTable, options.Schema);

        // The arbiter of "one run per consumer and message": every claim is an insert against this key.
        builder.HasKey(e => new { e.Consumer, e.MessageKey });

        builder.Property(e => e.Consumer).HasColumnName("consumer").HasMaxLength(MaxConsumerLength).UseKeyCollation(keyCollation);
        builder.Property(e => e.MessageKey).HasColumnName("message_key").HasMaxLength(MaxMessageKeyLength).IsUnicode(false).UseKeyCollation(keyCollation);
        builder.Property(e => e.Status).HasColumnName("status");
        builder.Property(e => e.OperationId).HasColumnName("operation_id").HasMaxLength(40).IsUnicode(false).UseKeyCollation(keyCollation);
        builder.Property(e => e.ClaimToken).HasColumnName("claim_token").HasMaxLength(32).IsUnicode(false).UseKeyCollation(keyCollation);
        builder.Property(e => e.Attempt).HasColumnName("attempt");
        builder.Property(e => e.ClaimKind).HasColumnName("claim_kind");
        builder.Property(e => e.LeaseExpiresAt).HasColumnName("lease_expires_at");
        builder.Property(e => e.Result).HasColumnName("result");
        builder.Property(e => e.ErrorCode).HasColumnName("error_code").HasMaxLength(100);
        builder.Property(e => e.ErrorMessage).HasColumnName("error_message").HasMaxLength(2000);
        builder.Property(e => e.CreatedAt).HasColumnName("created_at");
        builder.Property(e => e.UpdatedAt).HasColumnName("updated_at");
        builder.Property(e => e.ExpiresAt).HasColumnName("expires_at");

        builder.HasIndex(e => e.ExpiresAt).HasDatabaseName("ix_inbox_entries_expires_at").HasAnnotation(BrinOnPostgreSql, "brin");
        // An operation's entries, for the operations console's detail.
        builder.HasIndex(e => e.OperationId).HasDatabaseName("ix_inbox_entries_operation_id");
    }
}
