using Inbox.Operating;

namespace Inbox.AspNetCore.Operating;

/// <summary>Counts as the console answers them: what the store counted, and when the read started.</summary>
internal sealed record ConsoleCounts(OperationCounts Counts, DateTimeOffset AsOf);
