namespace Inbox.EntityFrameworkCore.Sql;

/// <summary>The parameters of the operations console's actions: what each statement names of them is bound, the rest is left out.</summary>
internal sealed record ConsoleActionValues(string? Tenant, DateTimeOffset Now)
{
    public string? Id { get; init; }

    public string? ErrorCode { get; init; }

    public string? Endpoint { get; init; }

    /// <summary>When the relay republishes a redriven or released operation whose publish now was lost.</summary>
    public DateTimeOffset RelayAt { get; init; }

    /// <summary>Leases that expired before this instant (now less the skew margin) are released.</summary>
    public DateTimeOffset ExpiredBefore { get; init; }

    public int BatchSize { get; init; }

    public static readonly StatementParameters<ConsoleActionValues> Parameters = new()
    {
        ["tenant"] = v => v.Tenant,
        ["now"] = v => v.Now,
        ["id"] = v => v.Id,
        ["errorCode"] = v => v.ErrorCode,
        ["endpoint"] = v => v.Endpoint,
        ["relayAt"] = v => v.RelayAt,
        ["expiredBefore"] = v => v.ExpiredBefore,
        ["batchSize"] = v => v.BatchSize,
    };
}
