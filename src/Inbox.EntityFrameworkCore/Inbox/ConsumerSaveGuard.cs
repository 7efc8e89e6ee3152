using Microsoft.EntityFrameworkCore;

namespace Inbox.EntityFrameworkCore.Inbox;

/// <summary>
/// Refuses <c>SaveChanges</c> while a consumer in <c>InboxMode.SavedByInbox</c> runs, and a transaction left open
/// by it: either would commit (or roll back) the consumer's writes apart from the inbox's claim.
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

    /// <summary>Refuses a transaction the consumer began: the inbox's save would run inside it and be rolled back with it.</summary>
    public void ThrowIfTransactionOpen()
    {
        if (_db.Database.CurrentTransaction is not null)
        {
            throw new InvalidOperationException(
                $"{_consumer} runs in InboxMode.SavedByInbox and began a transaction: leave its changes tracked and let the inbox save them. " +
                "Use InboxMode.Transactional to manage the transaction yourself.");
        }
    }

    private void Refuse(object? sender, SavingChangesEventArgs e) => throw new InvalidOperationException(
        $"{_consumer} runs in InboxMode.SavedByInbox: leave its changes tracked and let the inbox save them with its claim. " +
        "Use InboxMode.Transactional to call SaveChanges yourself.");
}
