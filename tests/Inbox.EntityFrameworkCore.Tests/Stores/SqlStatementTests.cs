using Inbox.EntityFrameworkCore.Sql;
using Inbox.EntityFrameworkCore.Tests.Support;
using Microsoft.EntityFrameworkCore;

namespace Inbox.EntityFrameworkCore.Tests.Stores;

/// <summary>
/// The statements each provider gets, read without a server. They pin the locking choices that make the claim
/// race-free and the relay and sweeper safe with several instances; the live store tests prove the behaviour.
/// </summary>
public sealed class SqlStatementTests
{
    private static OperationSql For(Func<DbContextOptionsBuilder<StoreDbContext>, DbContextOptionsBuilder<StoreDbContext>> configure)
    {
        using var db = new StoreDbContext(configure(new DbContextOptionsBuilder<StoreDbContext>()).Options);
        return OperationSql.For(db);
    }

    [Fact]
    public void SqlServer_guards_the_claim_with_a_key_range_lock_and_skips_locked_rows_in_background_work()
    {
        var sql = For(b => b.UseSqlServer("Server=unused;Database=unused"));

        Assert.Equal(DatabaseProvider.SqlServer, sql.Provider);
        Assert.Contains("WHERE NOT EXISTS (SELECT 1 FROM [inbox_operations] WITH (UPDLOCK, HOLDLOCK) WHERE [tenant_id] = @tenant AND [endpoint] = @endpoint AND [idempotency_key] = @idempotencyKey)", sql.InsertOrSelect.Text);
        Assert.Contains("UPDATE TOP (@batchSize) [inbox_operations] WITH (UPDLOCK, READPAST, ROWLOCK)", sql.ClaimDue(2).Text);
        Assert.Contains("OUTPUT inserted.[id]", sql.ClaimDue(2).Text);
        Assert.StartsWith(SqlServerDialect.SessionOptions + "DELETE TOP (@batchSize) FROM [inbox_operations] WITH (ROWLOCK, READPAST)", sql.DeleteExpired.Text);
    }

    [Fact]
    public void SqlServer_inbox_claim_takes_over_or_inserts_under_a_key_range_lock()
    {
        using var db = new StoreDbContext(new DbContextOptionsBuilder<StoreDbContext>().UseSqlServer("Server=unused;Database=unused").Options);
        var sql = InboxEntrySql.For(db);

        Assert.Contains("FROM [inbox_entries] AS t WITH (UPDLOCK, HOLDLOCK)", sql.ClaimLeased.Text);
        Assert.Contains("IF @@ROWCOUNT = 0 INSERT INTO [inbox_entries]", sql.ClaimLeased.Text);
        Assert.Contains("WHERE NOT EXISTS (SELECT 1 FROM [inbox_entries] WITH (UPDLOCK, HOLDLOCK)", sql.ClaimTransactional.Text);
        Assert.StartsWith(SqlServerDialect.SessionOptions + "DELETE TOP (@batchSize) FROM [inbox_entries] WITH (ROWLOCK, READPAST)", sql.DeleteExpired.Text);
    }

    [Fact]
    public void PostgreSql_inbox_claim_is_one_upsert_that_only_takes_failed_or_expired_entries()
    {
        using var db = new StoreDbContext(new DbContextOptionsBuilder<StoreDbContext>().UseNpgsql("Host=unused").Options);
        var sql = InboxEntrySql.For(db);

        Assert.Contains("ON CONFLICT (consumer, message_key) DO UPDATE SET", sql.ClaimTransactional.Text);
        Assert.Contains("WHERE t.status = 3 OR (t.status = 1 AND t.lease_expires_at <= @takeoverBefore)", sql.ClaimTransactional.Text);
        Assert.Contains("FOR UPDATE SKIP LOCKED", sql.DeleteExpired.Text);
    }

    [Fact]
    public void PostgreSql_claims_with_on_conflict_and_skips_locked_rows()
    {
        var sql = For(b => b.UseNpgsql("Host=unused"));

        Assert.Contains("ON CONFLICT (tenant_id, endpoint, idempotency_key) DO NOTHING", sql.InsertOrSelect.Text);
        Assert.Contains("FOR UPDATE SKIP LOCKED", sql.ClaimDue(2).Text);
        Assert.Contains("FOR UPDATE SKIP LOCKED", sql.DeleteExpired.Text);
    }

    [Fact]
    public void PostgreSql_group_commit_is_one_statement_that_inserts_the_batch_in_key_order_and_reads_the_taken_keys()
    {
        var batch = For(b => b.UseNpgsql("Host=unused")).InsertOrSelectBatch;

        Assert.NotNull(batch);
        Assert.Contains("FROM unnest(@ids::text[], @tenants::text[], @endpoints::text[], @idempotencyKeys::text[]", batch.Text);
        Assert.Contains("FROM batch b ORDER BY b.tenant, b.endpoint, b.idempotency_key ON CONFLICT (tenant_id, endpoint, idempotency_key) DO NOTHING RETURNING id", batch.Text);
        Assert.Contains("UNION ALL SELECT b.ordinal, e.id, e.fingerprint", batch.Text);
        Assert.DoesNotContain(";", batch.Text);
        Assert.Null(For(b => b.UseSqlServer("Server=unused;Database=unused")).InsertOrSelectBatch);
        Assert.Null(For(b => b.UseSqlite("Data Source=:memory:")).InsertOrSelectBatch);
    }

    [Fact]
    public void Relay_claim_doubles_the_wait_by_the_attempts_it_finds_up_to_the_cap_in_the_same_statement()
    {
        var sql = For(b => b.UseSqlServer("Server=unused;Database=unused"));

        Assert.Contains(
            "SET [relay_at] = CASE [relay_attempts] WHEN 0 THEN @relayAt0 WHEN 1 THEN @relayAt1 ELSE @cappedRelayAt END, [relay_attempts] = [relay_attempts] + 1",
            sql.ClaimDue(2).Text);
        Assert.Contains("SET [relay_at] = @cappedRelayAt, [relay_attempts] = [relay_attempts] + 1", sql.ClaimDue(0).Text);
        Assert.Contains("inserted.[relay_attempts]", sql.ClaimDue(0).Text);
        Assert.Same(sql.ClaimDue(2), sql.ClaimDue(2));
    }

    // The health check's one statement: the oldest accepted operation by created_at, and the failures whose status
    // changed within the window. The health check tests run it live.
    [Fact]
    public void Health_read_takes_the_oldest_accepted_by_created_at_and_counts_recent_failures_on_each_provider()
    {
        Assert.Equal(
            "SELECT (SELECT created_at FROM inbox_operations WHERE status = 0 ORDER BY created_at LIMIT 1), " +
            "(SELECT COUNT(*) FROM inbox_operations WHERE status = 3 AND updated_at >= @failedSince)",
            For(b => b.UseNpgsql("Host=unused")).Health.Text);
        Assert.Equal(
            "SELECT (SELECT \"created_at\" FROM \"inbox_operations\" WHERE \"status\" = 0 ORDER BY \"created_at\" LIMIT 1), " +
            "(SELECT COUNT(*) FROM \"inbox_operations\" WHERE \"status\" = 3 AND \"updated_at\" >= @failedSince)",
            For(b => b.UseSqlite("Data Source=:memory:")).Health.Text);
        Assert.Equal(
            SqlServerDialect.SessionOptions +
            "SELECT (SELECT TOP (1) [created_at] FROM [inbox_operations] WHERE [status] = 0 ORDER BY [created_at]), " +
            "(SELECT COUNT(*) FROM [inbox_operations] WHERE [status] = 3 AND [updated_at] >= @failedSince)",
            For(b => b.UseSqlServer("Server=unused;Database=unused")).Health.Text);
    }

    [Fact]
    public void Custom_schema_and_table_names_reach_every_statement()
    {
        using var db = new CustomTableContext(new DbContextOptionsBuilder<CustomTableContext>().UseNpgsql("Host=unused").Options);
        var sql = OperationSql.For(db);

        foreach (var statement in new[] { sql.Insert.Text, sql.InsertOrSelect.Text, sql.ReplaceExpired.Text, sql.Find.Text, sql.ClaimDue(2).Text, sql.DeleteExpired.Text, sql.Health.Text })
        {
            Assert.Contains("billing.idempotent_operations", statement);
        }
    }

    [Fact]
    public void Context_without_the_inbox_model_gets_a_clear_error()
    {
        using var db = new EmptyContext(new DbContextOptionsBuilder<EmptyContext>().UseSqlite("Data Source=:memory:").Options);

        var error = Assert.Throws<InvalidOperationException>(() => OperationSql.For(db));

        Assert.Contains("call modelBuilder.AddInbox()", error.Message);
    }

    private sealed class CustomTableContext(DbContextOptions<CustomTableContext> options) : DbContext(options)
    {
        protected override void OnModelCreating(ModelBuilder modelBuilder) =>
            modelBuilder.AddInbox(o =>
            {
                o.Schema = "billing";
                o.OperationsTable = "idempotent_operations";
            });
    }

    private sealed class EmptyContext(DbContextOptions<EmptyContext> options) : DbContext(options);
}
