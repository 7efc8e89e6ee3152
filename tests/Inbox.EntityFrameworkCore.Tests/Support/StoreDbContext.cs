using Microsoft.EntityFrameworkCore;

namespace Inbox.EntityFrameworkCore.Tests.Support;

public sealed class StoreDbContext(DbContextOptions<StoreDbContext> options) : DbContext(options)
{
    protected override void OnModelCreating(ModelBuilder modelBuilder) => modelBuilder.AddInbox();
}
