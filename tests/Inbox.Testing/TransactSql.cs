using Microsoft.SqlServer.TransactSql.ScriptDom;

namespace Inbox.Testing;

/// <summary>
/// SQL Server's own T-SQL parser (ScriptDom), for checking statements where no SQL Server runs: what does not
/// parse, and which tables and columns a statement names.
/// </summary>
public static class TransactSql
{
    /// <summary>The parse errors of <paramref name="script"/> (empty when it parses), each with its line and column.</summary>
    public static IReadOnlyList<string> ParseErrors(string script)
    {
        Parse(script, out var errors);
        return [.. errors.Select(e => $"line {e.Line}, column {e.Column}: {e.Message}")];
    }

    /// <summary>The tables <paramref name="script"/> names, and the columns, by their last name part.</summary>
    public static (IReadOnlySet<string> Tables, IReadOnlySet<string> Columns) Names(string script)
    {
        var fragment = Parse(script, out var errors);
        if (errors.Count > 0)
        {
            throw new ArgumentException($"The script does not parse: {errors[0].Message}", nameof(script));
        }

        var names = new NameCollector();
        fragment.Accept(names);
        return (names.Tables, names.Columns);
    }

    private static TSqlFragment Parse(string script, out IList<ParseError> errors)
    {
        using var reader = new StringReader(script);
        return new TSql160Parser(initialQuotedIdentifiers: true).Parse(reader, out errors);
    }

    private sealed class NameCollector : TSqlFragmentVisitor
    {
        public HashSet<string> Tables { get; } = new(StringComparer.Ordinal);

        public HashSet<string> Columns { get; } = new(StringComparer.Ordinal);

        public override void ExplicitVisit(NamedTableReference node)
        {
            Tables.Add(node.SchemaObject.BaseIdentifier.Value);
            base.ExplicitVisit(node);
        }

        public override void ExplicitVisit(ColumnReferenceExpression node)
        {
            if (node.MultiPartIdentifier is { Count: > 0 } identifier)
            {
                Columns.Add(identifier.Identifiers[^1].Value);
            }

            base.ExplicitVisit(node);
        }
    }
}
