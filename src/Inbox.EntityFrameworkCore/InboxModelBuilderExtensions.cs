using Inbox.EntityFrameworkCore.Model;

namespace Microsoft.EntityFrameworkCore;

/// <summary>Adds the Inbox tables to the application's own model, so its migrations own them.</summary>
public static class InboxModelBuilderExtensions
{
    /// <summary>
    /// Adds the Inbox entities (<see cref="InboxOperation"/> and <see cref="InboxEntry"/>) to the model. Call it from
    /// <c>OnModelCreating</c> of the <c>DbContext</c> that holds the application's own tables, so the
    /// operation, the consumer's writes and the recorded outcome commit in one transaction.
    /// </summary>
    public static ModelBuilder AddInbox(this ModelBuilder modelBuilder, Action<InboxModelOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(modelBuilder);
        var options = new InboxModelOptions();
        configure?.Invoke(options);
        var keyCollation = KeyColumnCollation.For(modelBuilder, options);
        modelBuilder.ApplyConfiguration(new InboxOperationConfiguration(options, keyCollation));
        modelBuilder.ApplyConfiguration(new InboxEntryConfiguration(options, keyCollation));
        return modelBuilder;
    }
}
