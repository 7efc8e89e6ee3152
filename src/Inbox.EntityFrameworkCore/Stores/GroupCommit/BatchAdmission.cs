using Inbox.Operations;

namespace Inbox.EntityFrameworkCore.Stores.GroupCommit;

/// <summary>
/// What <see cref="AcceptBatcher{TDbContext}.AcceptAsync"/> decided for one acceptance: its outcome from a batch; or that
/// it runs alone now, holding the batcher's turn (<see cref="Alone"/>, given back with
/// <see cref="AcceptBatcher{TDbContext}.FinishAlone"/>); or neither, and it runs alone outside the batcher.
/// </summary>
internal readonly record struct BatchAdmission(AcceptOutcome? Outcome, QueuedAcceptance? Alone);
