using Microsoft.EntityFrameworkCore;

namespace Inbox.AspNetCore.Tests.Support;

public sealed class TestDbContext(DbContextOptions<TestDbContext> options) : DbContext(options)
{
    protected override void OnModelCreating(ModelBuilder modelBuilder) => modelBuilder.AddInbox();
}
