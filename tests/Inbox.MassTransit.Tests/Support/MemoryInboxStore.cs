using System.Collections.Concurrent;
using Inbox.Claims;
using Inbox.Operations;
using Inbox.Publishing;
using Inbox.Stores;

namespace Inbox.MassTransit.Tests.Support;

/// <summary>
/// A second, minimal store: Core's inbox-entry, relay and retention contracts over a dictionary, as a team on another
/// database would write them. It has no unit of work, so it serves leased consumers, the relay and the sweeper only.
/// One lock makes every transition atomic.
/// </summary>
public sealed class MemoryInboxStore(TimeSpan relayDelay) : IInboxEntryStore, IOperationRelayStore, IRetentionStore
{
    private readonly Lock _lock = new();
    private readonly Dictionary<(string Consumer, string MessageKey), Entry> _entries = [];
    private readonly Dictionary<string, Operation> _operations = [];

    public sealed class Entry
    {
        public OperationStatus Status { get; set; }

        public required string ClaimToken { get; set; }

        public string? OperationId { get; set; }

        public int Attempt { get; set; }

        public ClaimKind Kind { get; set; }

        public DateTimeOffset? LeaseExpiresAt { get; set; }

        public string? Result { get; set; }

        public string? ErrorCode { get; set; }

        public DateTimeOffset ExpiresAt { get; set; }
    }

    public sealed class Operation
    {
        public required StoredPublication Publication { get; init; }

        public OperationStatus Status { get; set; }

        public string? Result { get; set; }

        public string? ErrorCode { get; set; }

        public DateTimeOffset RelayAt { get; set; }

        public int RelayAttempts { get; set; }
    }

    /// <summary>Stores an accepted operation, as an HTTP acceptance would, due for the relay at <paramref name="relayAt"/>.</summary>
    public void Accept(OperationPublication publication, DateTimeOffset relayAt)
    {
        lock (_lock)
        {
            _operations[publication.OperationId] = new Operation
            {
                Publication = new StoredPublication
                {
                    OperationId = publication.OperationId,
                    Scope = publication.Scope,
                    IdempotencyKey = publication.IdempotencyKey,
                    ExpiresAt = publication.ExpiresAt,
                    MessageType = MessageTypeNames.Of(publication.MessageType),
                    MessageBody = MessageSerializer.Serialize(publication.Message, publication.MessageType),
                },
                Status = OperationStatus.Accepted,
                RelayAt = relayAt,
            };
        }
    }

    /// <summary>Adds an entry in the state a past delivery left it.</summary>
    public void Add(string consumer, string messageKey, Entry entry)
    {
        lock (_lock)
        {
            _entries[(consumer, messageKey)] = entry;
        }
    }

    public Operation? FindOperation(string id)
    {
        lock (_lock)
        {
            return _operations.GetValueOrDefault(id);
        }
    }

    public IReadOnlyList<Entry> Entries()
    {
        lock (_lock)
        {
            return [.. _entries.Values];
        }
    }

    public ValueTask<InboxClaimResult> ClaimAsync(InboxClaimRequest request, CancellationToken cancellationToken)
    {
        if (request.LeaseExpiresAt is null)
        {
            throw new NotSupportedException("The memory store has no unit of work: it takes leased claims only.");
        }

        lock (_lock)
        {
            var key = (request.Consumer, request.MessageKey);
            if (_entries.TryGetValue(key, out var entry))
            {
                var claimable = entry.Status == OperationStatus.Failed
                    || (entry.Status == OperationStatus.Processing && entry.LeaseExpiresAt <= request.TakeoverBefore);
                if (!claimable)
                {
                    return ValueTask.FromResult(View(entry, claimed: false));
                }

                entry.Kind = entry.Status == OperationStatus.Processing ? ClaimKind.Takeover : ClaimKind.Redrive;
                entry.Attempt++;
                entry.ErrorCode = null;
            }
            else
            {
                entry = new Entry { ClaimToken = request.ClaimToken, OperationId = request.OperationId, Attempt = 1, Kind = ClaimKind.Fresh };
                _entries[key] = entry;
            }

            entry.Status = OperationStatus.Processing;
            entry.ClaimToken = request.ClaimToken;
            entry.LeaseExpiresAt = request.LeaseExpiresAt;
            entry.ExpiresAt = request.ExpiresAt;
            if (request.StartsOperationId is { } id && _operations.TryGetValue(id, out var operation)
                && operation.Status is OperationStatus.Accepted or OperationStatus.Failed)
            {
                operation.Status = OperationStatus.Processing;
                operation.RelayAt = request.LeaseExpiresAt.Value + relayDelay;
            }

            return ValueTask.FromResult(View(entry, claimed: true));
        }
    }

    public ValueTask<InboxClaimResult?> ReadClaimAsync(string consumer, string messageKey, string claimToken, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            return ValueTask.FromResult(_entries.TryGetValue((consumer, messageKey), out var entry)
                ? View(entry, entry.ClaimToken == claimToken)
                : (InboxClaimResult?)null);
        }
    }

    public ValueTask<bool> CompleteLeasedAsync(LeasedOutcome outcome, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            if (!_entries.TryGetValue((outcome.Consumer, outcome.MessageKey), out var entry)
                || entry.ClaimToken != outcome.ClaimToken || entry.Status != OperationStatus.Processing)
            {
                return ValueTask.FromResult(false);
            }

            entry.Status = OperationStatus.Succeeded;
            entry.Result = outcome.ResultJson;
            entry.LeaseExpiresAt = null;
            if (outcome.CompletesOperationId is { } id && _operations.TryGetValue(id, out var operation) && operation.Status != OperationStatus.Succeeded)
            {
                operation.Status = OperationStatus.Succeeded;
                operation.Result = outcome.ResultJson;
                operation.ErrorCode = null;
            }

            return ValueTask.FromResult(true);
        }
    }

    public ValueTask<bool> CompleteOperationAsync(string consumer, string messageKey, string operationId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            if (!_entries.TryGetValue((consumer, messageKey), out var entry) || entry.Status != OperationStatus.Succeeded
                || !_operations.TryGetValue(operationId, out var operation) || operation.Status is not (OperationStatus.Accepted or OperationStatus.Processing))
            {
                return ValueTask.FromResult(false);
            }

            operation.Status = OperationStatus.Succeeded;
            operation.Result = entry.Result;
            operation.ErrorCode = null;
            return ValueTask.FromResult(true);
        }
    }

    public ValueTask ReleaseAttemptAsync(string consumer, string messageKey, string claimToken, DateTimeOffset now, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            if (_entries.TryGetValue((consumer, messageKey), out var entry) && entry.ClaimToken == claimToken && entry.Status == OperationStatus.Processing)
            {
                entry.Status = OperationStatus.Failed;
                entry.LeaseExpiresAt = null;
            }
        }

        return ValueTask.CompletedTask;
    }

    /// <summary>Every failure recorded, as the consume side reported it.</summary>
    public ConcurrentQueue<InboxFailure> Failures { get; } = new();

    public ValueTask RecordFailureAsync(InboxFailure failure, CancellationToken cancellationToken)
    {
        Failures.Enqueue(failure);
        lock (_lock)
        {
            _entries.TryGetValue((failure.Consumer, failure.MessageKey), out var entry);
            bool failsOperation;
            if (failure.HeldClaimToken is { } token)
            {
                failsOperation = entry is not null && entry.ClaimToken == token && entry.Status is OperationStatus.Processing or OperationStatus.Failed;
                if (failsOperation)
                {
                    entry!.Status = OperationStatus.Failed;
                    entry.LeaseExpiresAt = null;
                    entry.ErrorCode = failure.ErrorCode;
                }
            }
            else
            {
                failsOperation = entry is null || entry.Status == OperationStatus.Failed
                    || (entry.Status == OperationStatus.Processing && entry.LeaseExpiresAt <= failure.TakeoverBefore);
                if (entry?.Status == OperationStatus.Failed)
                {
                    entry.ErrorCode = failure.ErrorCode;
                }
            }

            if (failsOperation && failure.FailsOperationId is { } id && _operations.TryGetValue(id, out var operation)
                && operation.Status is OperationStatus.Accepted or OperationStatus.Processing)
            {
                operation.Status = OperationStatus.Failed;
                operation.ErrorCode = failure.ErrorCode;
            }
        }

        return ValueTask.CompletedTask;
    }

    public ValueTask<IReadOnlyList<StoredPublication>> ClaimDueAsync(DateTimeOffset now, RelayBackoff backoff, int batchSize, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            var due = _operations.Values
                .Where(o => o.Status < OperationStatus.Succeeded && o.RelayAt <= now && o.Publication.ExpiresAt > now)
                .Take(batchSize)
                .ToList();
            foreach (var operation in due)
            {
                operation.RelayAt = now + backoff.DelayAfter(operation.RelayAttempts);
                operation.RelayAttempts++;
            }

            return ValueTask.FromResult<IReadOnlyList<StoredPublication>>(
                [.. due.Select(o => new StoredPublication
                {
                    OperationId = o.Publication.OperationId,
                    Scope = o.Publication.Scope,
                    IdempotencyKey = o.Publication.IdempotencyKey,
                    ExpiresAt = o.Publication.ExpiresAt,
                    MessageType = o.Publication.MessageType,
                    MessageBody = o.Publication.MessageBody,
                    RelayAttempts = o.RelayAttempts,
                })]);
        }
    }

    public ValueTask<int> DeleteExpiredOperationsAsync(DateTimeOffset now, int batchSize, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            var expired = _operations.Where(o => o.Value.Publication.ExpiresAt <= now).Take(batchSize).Select(o => o.Key).ToList();
            expired.ForEach(id => _operations.Remove(id));
            return ValueTask.FromResult(expired.Count);
        }
    }

    public ValueTask<int> DeleteExpiredInboxEntriesAsync(DateTimeOffset now, int batchSize, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            var expired = _entries.Where(e => e.Value.ExpiresAt <= now).Take(batchSize).Select(e => e.Key).ToList();
            expired.ForEach(key => _entries.Remove(key));
            return ValueTask.FromResult(expired.Count);
        }
    }

    private InboxClaimResult View(Entry entry, bool claimed) =>
        new(claimed, entry.Status, entry.Attempt, entry.Kind, entry.LeaseExpiresAt,
            OperationUnfinished: entry.OperationId is { } id && _operations.TryGetValue(id, out var operation)
                && operation.Status is OperationStatus.Accepted or OperationStatus.Processing);
}
