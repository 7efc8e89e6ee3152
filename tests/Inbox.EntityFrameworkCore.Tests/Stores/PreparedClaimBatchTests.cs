using Inbox.Claims;
using Inbox.EntityFrameworkCore.Inbox;
using Inbox.EntityFrameworkCore.Model;
using Inbox.EntityFrameworkCore.Tests.Support;
using Inbox.Operations;
using Inbox.Testing;
using Microsoft.EntityFrameworkCore;

namespace Inbox.EntityFrameworkCore.Tests.Stores;

/// <summary>
/// The one-batch save on PostgreSQL without EF Core's update pipeline: it must store exactly what EF Core's
/// <c>SaveChanges</c> stores, and all of the batch or none of it.
/// </summary>
public sealed class PreparedClaimBatchTests
{
    private static readonly DateTimeOffset Now = StoreFixture.Start;

    private static InboxClaimRequest Request(string key) =>
        new("Tests.ClaimConsumer", key, null, Guid.NewGuid().ToString("N"), Now, Now.AddHours(25), Now, null);

    [Fact]
    public async Task Prepared_batch_stores_what_ef_core_stores()
    {
        await using var fixture = await StoreFixture.CreateAsync(DatabaseKind.PostgreSql);
        var (preparedRow, preparedLine) = (Guid.NewGuid(), Guid.NewGuid());
        var (savedRow, savedLine) = (Guid.NewGuid(), Guid.NewGuid());

        await using (var db = fixture.CreateDbContext())
        {
            Track(db, preparedRow, preparedLine);
            Assert.NotNull(PreparedClaimBatch.Inserts(db));
            await FreshClaimBatch.SaveAsync(db, Request("msg:1"), "{\"n\":1}", null, default);
            Assert.All(db.ChangeTracker.Entries(), e => Assert.Equal(EntityState.Unchanged, e.State));
        }

        await using (var db = fixture.CreateDbContext())
        {
            Track(db, savedRow, savedLine);
            await db.SaveChangesAsync();
        }

        await using var check = fixture.CreateDbContext();
        Assert.Equal(await StoredAsync(check, "rich_rows", savedRow), await StoredAsync(check, "rich_rows", preparedRow));
        Assert.Equal(await StoredAsync(check, "ledger_lines", savedLine), await StoredAsync(check, "ledger_lines", preparedLine));
        Assert.Contains("\"Discriminator\": \"CreditLine\"", await StoredAsync(check, "ledger_lines", preparedLine));
        var entry = await check.Set<InboxEntry>().AsNoTracking().SingleAsync();
        Assert.Equal(("msg:1", OperationStatus.Succeeded, "{\"n\":1}", 1), (entry.MessageKey, entry.Status, entry.Result, entry.Attempt));
    }

    [Fact]
    public async Task Prepared_batch_whose_last_insert_fails_saves_nothing()
    {
        await using var fixture = await StoreFixture.CreateAsync(DatabaseKind.PostgreSql);
        var existing = Guid.NewGuid();
        await using (var db = fixture.CreateDbContext())
        {
            db.Add(new AuditRow { Id = existing, Text = "existing" });
            await db.SaveChangesAsync();
        }

        await using (var db = fixture.CreateDbContext())
        {
            // The batch sends the entry first, then the rows in this order: the failure comes last.
            db.Add(new AuditRow { Text = "new" });
            db.Add(new AuditRow { Id = existing, Text = "clash" });
            Assert.Equal(["new", "clash"], PreparedClaimBatch.Inserts(db)!.Select(i => ((AuditRow)i.Entry.Entity).Text));

            var error = await Assert.ThrowsAsync<DbUpdateException>(() => FreshClaimBatch.SaveAsync(db, Request("msg:2"), null, null, default));

            Assert.Equal(2, error.Entries.Count);
            Assert.All(db.ChangeTracker.Entries<AuditRow>(), e => Assert.Equal(EntityState.Added, e.State));
        }

        await using var check = fixture.CreateDbContext();
        Assert.Equal(["existing"], await check.Set<AuditRow>().Select(r => r.Text).ToListAsync());
        Assert.Empty(await check.Set<InboxEntry>().ToListAsync());
    }

    private static void Track(StoreDbContext db, Guid row, Guid line)
    {
        var rich = new RichRow { Id = row, Kind = RowKind.Special, Amount = 12.50m, At = Now, Tags = ["a", "b"], Note = null };
        db.Add(rich);
        db.Entry(rich).Property("Source").CurrentValue = "consumer";
        db.Add(new CreditLine { Id = line, Text = "credit", Credit = 3.25m });
    }

    /// <summary>The stored row as PostgreSQL's JSON of its columns, without the key.</summary>
    private static Task<string> StoredAsync(StoreDbContext db, string table, Guid id) => (table switch
    {
        "rich_rows" => db.Database.SqlQuery<string>($"SELECT (to_jsonb(t) - 'Id')::text AS \"Value\" FROM rich_rows t WHERE \"Id\" = {id}"),
        _ => db.Database.SqlQuery<string>($"SELECT (to_jsonb(t) - 'Id')::text AS \"Value\" FROM ledger_lines t WHERE \"Id\" = {id}"),
    }).SingleAsync();
}
