using Microsoft.EntityFrameworkCore;

namespace Inbox.MassTransit.Tests.Harness;

public sealed class SmokeDbContext(DbContextOptions<SmokeDbContext> options) : DbContext(options)
{
    public DbSet<SmokeRow> Rows => Set<SmokeRow>();
}

public sealed class SmokeRow
{
    public long Id { get; set; }

    public required string IdempotencyKey { get; set; }

    public required string Text { get; set; }
}
