using System.Transactions;
using Inbox.Claims;
using Inbox.EntityFrameworkCore.Inbox;
using Inbox.EntityFrameworkCore.Model;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;

namespace Inbox.EntityFrameworkCore.Tests.Stores;

/// <summary>
/// When the one-batch save is taken: only where the batch is sure to be one atomic batch of plain inserts. No
/// server is needed: the decision reads the model, the change tracker and the options.
/// </summary>
public sealed class FreshClaimBatchTests
{
    [Fact]
    public void Inserts_of_application_keys_on_postgresql_are_one_batch()
    {
        using var db = BatchContext.Create();
        db.Add(new PlainRow());
        db.Add(new PlainRow());

        Assert.True(FreshClaimBatch.Fits(db, completesOperation: true));
    }

    [Fact]
    public void Other_providers_take_the_transactional_way()
    {
        using var db = new BatchContext(new DbContextOptionsBuilder<BatchContext>().UseSqlite("Data Source=:memory:").Options);
        db.Add(new PlainRow());

        Assert.False(FreshClaimBatch.Fits(db, completesOperation: true));
    }

    [Fact]
    public void Inserts_that_are_not_one_plain_insert_each_take_the_transactional_way()
    {
        Assert.False(FitsWith(db => db.Add(new NumberedRow())));
        Assert.True(FitsWith(db => db.Add(new NumberedRow { Id = 7 })));
        Assert.False(FitsWith(db => db.Add(new AlwaysNumberedRow { Id = 7 })));
        Assert.False(FitsWith(db => db.Add(new AlternateNumberedRow { Number = 7 })));
        Assert.False(FitsWith(db => db.Add(new OwnerRow { Detail = new OwnedDetail { Text = "inline" } })));
        Assert.False(FitsWith(db => db.Add(new JsonOwnerRow { Detail = new OwnedDetail { Text = "json" } })));
        Assert.False(FitsWith(db => db.Add(new DerivedRow())));
        Assert.True(FitsWith(db => db.Add(new BaseRow())));
    }

    [Fact]
    public void Updates_deletes_and_the_inbox_own_entities_take_the_transactional_way()
    {
        Assert.False(FitsWith(db => db.Entry(new PlainRow()).State = EntityState.Modified));
        Assert.False(FitsWith(db => db.Entry(new PlainRow()).State = EntityState.Deleted));
        Assert.False(FitsWith(db => db.Attach(new InboxOperation { Id = "op_loaded" })));
        Assert.False(FitsWith(db => db.Add(new InboxEntry { Consumer = "c", MessageKey = "k" })));
    }

    [Fact]
    public void More_changes_than_one_batch_allows_take_the_transactional_way()
    {
        Assert.True(FitsWith(db => db.AddRange(Enumerable.Range(0, 98).Select(_ => new PlainRow()))));
        Assert.False(FitsWith(db => db.AddRange(Enumerable.Range(0, 99).Select(_ => new PlainRow()))));
        using var small = BatchContext.Create(npgsql => npgsql.MaxBatchSize(2));
        small.Add(new PlainRow());
        Assert.False(FreshClaimBatch.Fits(small, completesOperation: true));
        using var splitting = BatchContext.Create(npgsql => npgsql.MinBatchSize(4));
        splitting.Add(new PlainRow());
        Assert.False(FreshClaimBatch.Fits(splitting, completesOperation: true));
    }

    [Fact]
    public void Open_transactions_save_overrides_and_save_interceptors_take_the_transactional_way()
    {
        using (new TransactionScope(TransactionScopeAsyncFlowOption.Enabled))
        {
            Assert.False(FitsWith(db => db.Add(new PlainRow())));
        }

        using var overriding = new OverridingContext(BatchContext.Options<OverridingContext>());
        overriding.Add(new PlainRow());
        Assert.False(FreshClaimBatch.Fits(overriding, completesOperation: false));

        using var intercepted = new BatchContext(new DbContextOptionsBuilder<BatchContext>()
            .UseNpgsql("Host=unused").AddInterceptors(new StampingInterceptor()).Options);
        intercepted.Add(new PlainRow());
        Assert.False(FreshClaimBatch.Fits(intercepted, completesOperation: false));
    }

    [Fact]
    public void Prepared_inserts_name_every_mapped_column_with_positional_parameters()
    {
        using var db = BatchContext.Create();
        var sql = db.GetService<ISqlGenerationHelper>();

        Assert.Equal("INSERT INTO \"PlainRow\" (\"Id\") VALUES ($1)", PreparedInsert.For(db.Model.FindEntityType(typeof(PlainRow))!, sql)!.Sql);
        Assert.Equal(
            "INSERT INTO \"HierarchyRow\" (\"Id\", \"Discriminator\", \"Extra\") VALUES ($1, $2, $3)",
            PreparedInsert.For(db.Model.FindEntityType(typeof(DerivedHierarchyRow))!, sql)!.Sql);
        Assert.Null(PreparedInsert.For(db.Model.FindEntityType(typeof(DefaultedRow))!, sql));
        Assert.Null(PreparedInsert.For(db.Model.FindEntityType(typeof(ProcedureRow))!, sql));
    }

    [Fact]
    public void Save_handlers_command_interceptors_and_generated_columns_leave_the_save_to_ef_core()
    {
        Assert.NotNull(PreparedWith(db => db.Add(new PlainRow())));
        Assert.Null(PreparedWith(db => db.SavingChanges += (_, _) => { }));
        Assert.Null(PreparedWith(db => db.SavedChanges += (_, _) => { }));
        Assert.Null(PreparedWith(db => db.SaveChangesFailed += (_, _) => { }));
        Assert.Null(PreparedWith(db => db.Add(new DefaultedRow())));
        Assert.NotNull(PreparedWith(db => db.Add(new ChildRow { ParentId = Guid.NewGuid() })));
        Assert.Null(PreparedWith(db => db.Add(new ChildRow { Parent = new ParentRow() })));

        using var intercepted = new BatchContext(new DbContextOptionsBuilder<BatchContext>()
            .UseNpgsql("Host=unused").AddInterceptors(new TaggingInterceptor()).Options);
        intercepted.Add(new PlainRow());
        Assert.Null(PreparedClaimBatch.Inserts(intercepted));
    }

    private static List<(EntityEntry Entry, PreparedInsert Insert)>? PreparedWith(Action<BatchContext> change)
    {
        using var db = BatchContext.Create();
        db.Add(new PlainRow());
        change(db);
        return PreparedClaimBatch.Inserts(db);
    }

    private static bool FitsWith(Action<BatchContext> change)
    {
        using var db = BatchContext.Create();
        change(db);
        return FreshClaimBatch.Fits(db, completesOperation: true);
    }

    private class BatchContext(DbContextOptions options) : DbContext(options)
    {
        public static BatchContext Create(Action<Npgsql.EntityFrameworkCore.PostgreSQL.Infrastructure.NpgsqlDbContextOptionsBuilder>? npgsql = null) =>
            new(Options<BatchContext>(npgsql));

        public static DbContextOptions<T> Options<T>(Action<Npgsql.EntityFrameworkCore.PostgreSQL.Infrastructure.NpgsqlDbContextOptionsBuilder>? npgsql = null)
            where T : DbContext =>
            new DbContextOptionsBuilder<T>().UseNpgsql("Host=unused", o => npgsql?.Invoke(o)).Options;

        protected override void OnModelCreating(ModelBuilder modelBuilder)
        {
            modelBuilder.AddInbox();
            modelBuilder.Entity<PlainRow>();
            modelBuilder.Entity<NumberedRow>();
            modelBuilder.Entity<AlwaysNumberedRow>().Property(r => r.Id).Metadata.SetBeforeSaveBehavior(PropertySaveBehavior.Ignore);
            modelBuilder.Entity<AlternateNumberedRow>().HasAlternateKey(r => r.Number);
            modelBuilder.Entity<AlternateNumberedRow>().Property(r => r.Number).Metadata.SetBeforeSaveBehavior(PropertySaveBehavior.Ignore);
            modelBuilder.Entity<OwnerRow>().OwnsOne(o => o.Detail);
            modelBuilder.Entity<JsonOwnerRow>().OwnsOne(o => o.Detail, detail => detail.ToJson());
            modelBuilder.Entity<BaseRow>().UseTptMappingStrategy();
            modelBuilder.Entity<DerivedRow>();
            modelBuilder.Entity<HierarchyRow>();
            modelBuilder.Entity<DerivedHierarchyRow>();
            modelBuilder.Entity<DefaultedRow>().Property(r => r.CreatedAt).HasDefaultValueSql("now()");
            modelBuilder.Entity<ChildRow>().HasOne(c => c.Parent).WithMany().HasForeignKey(c => c.ParentId);
            if (Database.ProviderName == "Npgsql.EntityFrameworkCore.PostgreSQL")
            {
                modelBuilder.Entity<ProcedureRow>().Property(r => r.Id).ValueGeneratedNever();
                modelBuilder.Entity<ProcedureRow>().InsertUsingStoredProcedure("insert_procedure_row", p => p.HasParameter(r => r.Id));
            }
        }
    }

    private sealed class OverridingContext(DbContextOptions options) : BatchContext(options)
    {
        public override Task<int> SaveChangesAsync(CancellationToken cancellationToken = default) => base.SaveChangesAsync(cancellationToken);
    }

    private sealed class StampingInterceptor : SaveChangesInterceptor;

    private sealed class TaggingInterceptor : DbCommandInterceptor;

    private sealed class PlainRow
    {
        public Guid Id { get; set; } = Guid.NewGuid();
    }

    private sealed class NumberedRow
    {
        public int Id { get; set; }
    }

    private sealed class AlwaysNumberedRow
    {
        public int Id { get; set; }
    }

    private sealed class AlternateNumberedRow
    {
        public Guid Id { get; set; } = Guid.NewGuid();

        public int Number { get; set; }
    }

    private sealed class OwnerRow
    {
        public Guid Id { get; set; } = Guid.NewGuid();

        public OwnedDetail Detail { get; set; } = new();
    }

    private sealed class JsonOwnerRow
    {
        public Guid Id { get; set; } = Guid.NewGuid();

        public OwnedDetail Detail { get; set; } = new();
    }

    private class BaseRow
    {
        public Guid Id { get; set; } = Guid.NewGuid();
    }

    private sealed class DerivedRow : BaseRow
    {
        public string Extra { get; set; } = "";
    }

    private class HierarchyRow
    {
        public Guid Id { get; set; } = Guid.NewGuid();
    }

    private sealed class DerivedHierarchyRow : HierarchyRow
    {
        public string Extra { get; set; } = "";
    }

    private sealed class DefaultedRow
    {
        public Guid Id { get; set; } = Guid.NewGuid();

        public DateTimeOffset CreatedAt { get; set; }
    }

    private sealed class ProcedureRow
    {
        public Guid Id { get; set; } = Guid.NewGuid();
    }

    private sealed class ParentRow
    {
        public Guid Id { get; set; } = Guid.NewGuid();
    }

    private sealed class ChildRow
    {
        public Guid Id { get; set; } = Guid.NewGuid();

        public Guid ParentId { get; set; }

        public ParentRow? Parent { get; set; }
    }

    private sealed class OwnedDetail
    {
        public string Text { get; set; } = "";
    }
}
