namespace Inbox.EntityFrameworkCore.Sql;

/// <summary>The parameters of a sweep: rows that expired by <paramref name="Now"/>, at most <paramref name="BatchSize"/>.</summary>
internal sealed record ExpiredRowsValues(DateTimeOffset Now, int BatchSize)
{
    public static readonly StatementParameters<ExpiredRowsValues> Parameters = new()
    {
        ["now"] = v => v.Now,
        ["batchSize"] = v => v.BatchSize,
    };
}
