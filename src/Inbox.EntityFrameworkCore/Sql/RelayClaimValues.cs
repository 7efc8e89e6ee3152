namespace Inbox.EntityFrameworkCore.Sql;

/// <summary>
/// The parameters of the relay's claim of due operations: at most <paramref name="BatchSize"/>, each moved to
/// <paramref name="RelayAt"/>[n] after n earlier attempts, and to <paramref name="CappedRelayAt"/> after more.
/// </summary>
internal sealed record RelayClaimValues(DateTimeOffset Now, int BatchSize, DateTimeOffset CappedRelayAt, IReadOnlyList<DateTimeOffset> RelayAt)
{
    /// <summary>The parameters of a claim with <paramref name="uncappedSteps"/> relay times below the cap.</summary>
    public static StatementParameters<RelayClaimValues> Parameters(int uncappedSteps)
    {
        var parameters = new StatementParameters<RelayClaimValues>
        {
            ["now"] = v => v.Now,
            ["batchSize"] = v => v.BatchSize,
            ["cappedRelayAt"] = v => v.CappedRelayAt,
        };
        for (var n = 0; n < uncappedSteps; n++)
        {
            var step = n;
            parameters[RelayAtName(step)] = v => v.RelayAt[step];
        }

        return parameters;
    }

    /// <summary>The name of the relay time after <paramref name="attempts"/> earlier attempts.</summary>
    public static string RelayAtName(int attempts) => $"relayAt{attempts}";
}
