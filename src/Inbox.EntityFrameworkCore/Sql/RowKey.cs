namespace Inbox.EntityFrameworkCore.Sql;

/// <summary>The columns of a table's unique key, each with the parameter a statement compares it with.</summary>
internal sealed class RowKey(params (string Column, string Parameter)[] parts)
{
    /// <summary>The key columns, comma separated, as an <c>ON CONFLICT</c> target names them.</summary>
    public string Columns { get; } = string.Join(", ", parts.Select(p => p.Column));

    /// <summary><c>column = @parameter AND ...</c>, each column prefixed by <paramref name="alias"/>.</summary>
    public string Condition(string alias = "") => string.Join(" AND ", parts.Select(p => $"{alias}{p.Column} = @{p.Parameter}"));
}
