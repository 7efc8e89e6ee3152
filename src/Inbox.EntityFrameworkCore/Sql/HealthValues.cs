namespace Inbox.EntityFrameworkCore.Sql;

/// <summary>The parameters of the health read: operations that failed at or after <paramref name="FailedSince"/>.</summary>
internal sealed record HealthValues(DateTimeOffset FailedSince)
{
    public static readonly StatementParameters<HealthValues> Parameters = new()
    {
        ["failedSince"] = v => v.FailedSince,
    };
}
