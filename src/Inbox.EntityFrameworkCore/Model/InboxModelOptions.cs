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
}
