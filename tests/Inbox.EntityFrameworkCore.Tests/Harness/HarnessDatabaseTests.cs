using Inbox.Testing;
using Microsoft.EntityFrameworkCore;

namespace Inbox.EntityFrameworkCore.Tests.Harness;

/// <summary>Each provider of the harness gives a test its own empty database and takes it away afterwards.</summary>
public sealed class HarnessDatabaseTests
{
    [Fact]
    public async Task Sqlite_file_database_is_private_to_the_test_and_deleted_afterwards()
    {
        string path;
        using (var database = SqliteDatabase.Create())
        {
            path = database.Path;
            await RoundTripAsync(new DbContextOptionsBuilder<NoteDbContext>().UseSqlite(database.ConnectionString).Options);
            Assert.True(File.Exists(path));
        }

        Assert.False(File.Exists(path));
    }

    [Fact]
    public async Task Postgres_database_is_private_to_the_test_and_dropped_afterwards()
    {
        string name;
        await using (var database = await PostgresServer.CreateDatabaseAsync())
        {
            name = database.Name;
            await RoundTripAsync(new DbContextOptionsBuilder<NoteDbContext>().UseNpgsql(database.ConnectionString).Options);
        }

        await using var admin = new Npgsql.NpgsqlConnection(await PostgresServer.GetAdminConnectionStringAsync());
        await admin.OpenAsync();
        await using var command = new Npgsql.NpgsqlCommand("SELECT count(*) FROM pg_database WHERE datname = @name", admin);
        command.Parameters.AddWithValue("name", name);
        Assert.Equal(0L, (long)(await command.ExecuteScalarAsync())!);
    }

    [SqlServerFact]
    public async Task SqlServer_database_is_private_to_the_test()
    {
        await using var database = await SqlServerServer.CreateDatabaseAsync();
        await RoundTripAsync(new DbContextOptionsBuilder<NoteDbContext>().UseSqlServer(database.ConnectionString).Options);
    }

    private static async Task RoundTripAsync(DbContextOptions<NoteDbContext> options)
    {
        await using (var db = new NoteDbContext(options))
        {
            await db.Database.EnsureCreatedAsync();
            Assert.Empty(await db.Notes.ToListAsync());
            db.Notes.Add(new Note { Text = "written" });
            await db.SaveChangesAsync();
        }

        await using (var db = new NoteDbContext(options))
        {
            Assert.Equal("written", (await db.Notes.SingleAsync()).Text);
        }
    }

    private sealed class NoteDbContext(DbContextOptions<NoteDbContext> options) : DbContext(options)
    {
        public DbSet<Note> Notes => Set<Note>();
    }

    private sealed class Note
    {
        public int Id { get; set; }

        public required string Text { get; set; }
    }
}
