namespace Inbox.EntityFrameworkCore.Sql;

/// <summary>The parameters of an operation's status read: the tenant's live operation <paramref name="Id"/>.</summary>
internal sealed record LookupValues(string Id, string Tenant, DateTimeOffset Now)
{
    public static readonly StatementParameters<LookupValues> Parameters = new()
    {
        ["id"] = v => v.Id,
        ["tenant"] = v => v.Tenant,
        ["now"] = v => v.Now,
    };
}
