namespace Inbox.EntityFrameworkCore.Model;

/// <summary>Where the Inbox tables live in the application's model.</summary>
public sealed class InboxModelOptions
{
    /// <summary>The schema of the Inbox tables. Default: <see langword="null"/>, the model's default schema.</summary>
    public string? Schema { get; set; }

    /// <summary>The operations table. Default: <c>inbox_operations</c>.</summary>
    public string OperationsTable { get; set; } = "inbox_operations";

    /// <summary>The consumers' inbox table. Default: <c>inbox_entries</c>.</summary>
    public string InboxEntriesTable { get; set; } = "inbox_entries";

    /// <summary>
    /// The collation of the key, id, tenant, endpoint and consumer columns on SQL Server, so that they compare
    /// case-sensitively (<c>Order-1</c> and <c>order-1</c> are two keys), as on PostgreSQL and SQLite. Default:
    /// <c>Latin1_General_100_BIN2</c>. <see langword="null"/> leaves the database's default collation, which is
    /// usually case-insensitive. Other providers ignore it.
    /// </summary>
    public string? SqlServerKeyCollation { get; set; } = "Latin1_General_100_BIN2";
}
