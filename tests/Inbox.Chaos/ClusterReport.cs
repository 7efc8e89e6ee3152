namespace Inbox.Chaos;

/// <summary>
/// The cluster mode's figures, on top of <see cref="ChaosReport"/>'s: every operation a 202 acknowledged is still in the
/// database after the failovers; for each fault, the time to the first 202 of a request sent after it took effect,
/// the time to the first operation accepted after it that succeeded, and the 503s, 500s and unanswered requests
/// while it lasted (until the engine was whole and the API accepted again, whichever came later).
/// </summary>
internal static class ClusterReport
{
    /// <summary>After recovery, how long a late 500 still counts against the fault.</summary>
    private static readonly TimeSpan Aftermath = TimeSpan.FromSeconds(10);

    public static async Task<ChaosReport.Figures> CollectAsync(string database, LoadClient client, ClusterFaults faults)
    {
        var answers = client.Answers.ToArray();
        var acknowledged = answers.Where(answer => answer.OperationId is not null)
            .GroupBy(answer => answer.OperationId!, StringComparer.Ordinal)
            .ToDictionary(group => group.Key, group => group.Min(answer => answer.Ended), StringComparer.Ordinal);
        var stored = (await ChaosReport.ListAsync(database, "SELECT id FROM inbox_operations")).ToHashSet(StringComparer.Ordinal);
        var missing = acknowledged.Keys.Where(id => !stored.Contains(id)).ToList();
        var broken = missing.Count > 0 || faults.NotRun.Count > 0;
        var lines = new List<string>
        {
            $"operations acknowledged by a 202: {acknowledged.Count}; missing from the database after the failovers: {missing.Count}",
        };

        foreach (var fault in faults.Done)
        {
            var before = acknowledged.Count(pair => pair.Value < fault.TookEffect);
            var missingBefore = missing.Count(id => acknowledged[id] < fault.TookEffect);
            var recovered = answers.Where(answer => answer.Status == 202 && answer.Sent >= fault.TookEffect).MinBy(answer => answer.Ended);
            // It lasts until the engine is whole again and the API accepts again, whichever is later.
            var until = Max(recovered?.Ended ?? answers.Max(answer => answer.Ended), fault.Whole);
            bool During(Answer answer) => answer.Ended >= fault.TookEffect && answer.Ended <= until;
            var window = until + Aftermath;
            var errors = answers.Count(answer => answer.Status == 500 && answer.Ended >= fault.TookEffect && answer.Ended <= window);
            var firstCompleted = await ChaosReport.ScalarAsync(database,
                $"SELECT coalesce(extract(epoch FROM min(updated_at) - '{fault.TookEffectAt:O}'::timestamptz) * 1000, -1)::bigint FROM inbox_operations WHERE status = 2 AND created_at >= '{fault.TookEffectAt:O}'::timestamptz");
            lines.Add($"{fault.Name}: {fault.Detail}");
            lines.Add($"  acknowledged before it: {before}; missing after it: {missingBefore}");
            lines.Add(recovered is null
                ? "  time to recover: never (no 202 for a request sent after it)"
                : $"  time to recover (first 202 of a request sent after it): {(recovered.Ended - fault.TookEffect).TotalSeconds:F1} s"
                    + (recovered.Ended > fault.Whole ? $", {(recovered.Ended - fault.Whole).TotalSeconds:F1} s after it was whole again" : ", before it was whole again"));
            lines.Add($"  while it lasted ({(until - fault.TookEffect).TotalSeconds:F1} s): 503 {answers.Count(answer => During(answer) && answer.Status == 503)}, transport errors {answers.Count(answer => During(answer) && answer.Status == Answer.TransportError)}, 202 {answers.Count(answer => During(answer) && answer.Status == 202)}; 500 until {Aftermath.TotalSeconds:F0} s later: {errors}");
            lines.Add(firstCompleted < 0
                ? "  first operation accepted after it and succeeded: none"
                : $"  first operation accepted after it and succeeded: {firstCompleted / 1000.0:F1} s after it took effect");
            var lastedUntil = fault.TookEffectAt + (until - fault.TookEffect);
            var pause = await ChaosReport.ScalarAsync(database,
                $"SELECT coalesce(extract(epoch FROM max(gap)) * 1000, -1)::bigint FROM (SELECT updated_at - lag(updated_at) OVER (ORDER BY updated_at) AS gap FROM inbox_operations WHERE status = 2 AND updated_at BETWEEN '{fault.TookEffectAt:O}'::timestamptz AND '{lastedUntil:O}'::timestamptz) gaps");
            lines.Add(pause < 0
                ? "  longest pause between two operations succeeding while it lasted: no two succeeded"
                : $"  longest pause between two operations succeeding while it lasted: {pause / 1000.0:F1} s");
            broken |= recovered is null || errors > 0;
        }

        lines.AddRange(faults.NotRun.Select(fault => $"FAILED: not run: {fault}"));
        lines.AddRange(missing.Take(10).Select(id => $"  acknowledged but missing: {id} (202 at {acknowledged[id]:mm\\:ss\\.f})"));
        return new ChaosReport.Figures(lines, broken);
    }

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;
}
