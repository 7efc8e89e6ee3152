using Microsoft.EntityFrameworkCore;

namespace Inbox.MassTransit.Consuming;

/// <summary>
/// Refuses <c>SaveChanges</c> while a <see cref="InboxMode.SavedByInbox"/> consumer runs: a save of its own would
/// commit before the claim, outside the inbox's batch.
/// </summary>
internal sealed class ConsumerSaveGuard : IDisposable
{
    private readonly DbContext _db;
    private readonly string _consumer;

    private ConsumerSaveGuard(DbContext db, string consumer)
    {
        _db = db;
        _consumer = consumer;
        _db.SavingChanges += Refuse;
    }

    public static ConsumerSaveGuard Forbid(DbContext db, string consumer) => new(db, consumer);

    public void Dispose() => _db.SavingChanges -= Refuse;

    private void Refuse(object? sender, SavingChangesEventArgs e) => throw new InvalidOperationException(
        $"{_consumer} runs in InboxMode.SavedByInbox: leave its changes tracked and let the inbox save them with its claim. " +
        "Use InboxMode.Transactional to call SaveChanges yourself.");
}
