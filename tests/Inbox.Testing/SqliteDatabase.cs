using Microsoft.Data.Sqlite;

namespace Inbox.Testing;

/// <summary>A temporary SQLite database file that belongs to one test; deleted on dispose.</summary>
public sealed class SqliteDatabase : IDisposable
{
    private SqliteDatabase(string path)
    {
        Path = path;
        ConnectionString = new SqliteConnectionStringBuilder { DataSource = path, Pooling = true }.ToString();
    }

    /// <summary>The database file.</summary>
    public string Path { get; }

    /// <summary>A connection string to the file.</summary>
    public string ConnectionString { get; }

    /// <summary>Creates a new, empty database file under the temporary folder.</summary>
    public static SqliteDatabase Create()
    {
        var directory = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "inbox-tests");
        Directory.CreateDirectory(directory);
        return new SqliteDatabase(System.IO.Path.Combine(directory, Guid.NewGuid().ToString("N") + ".db"));
    }

    /// <inheritdoc />
    public void Dispose()
    {
        using (var pooled = new SqliteConnection(ConnectionString))
        {
            SqliteConnection.ClearPool(pooled);
        }

        foreach (var suffix in new[] { string.Empty, "-wal", "-shm", "-journal" })
        {
            File.Delete(Path + suffix);
        }
    }
}
