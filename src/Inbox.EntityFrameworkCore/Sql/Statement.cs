using System.Data.Common;
using Microsoft.EntityFrameworkCore.Storage;

namespace Inbox.EntityFrameworkCore.Sql;

/// <summary>
/// One statement's text, as the provider gets it, and the named parameters it refers to, each read from a record of
/// type <typeparamref name="TValues"/>. Built once per model; binding reads the record through the delegates of
/// <see cref="StatementParameters{TValues}"/>, with no lookup by name.
/// </summary>
internal sealed class Statement<TValues>
{
    private readonly Parameter[] _parameters;

    /// <param name="text">The statement, its parameters written <c>@name</c>.</param>
    /// <param name="parameters">How to read each parameter the text names from the record.</param>
    /// <param name="columns">
    /// The type mappings of the columns the string parameters go to, by parameter name (see
    /// <see cref="ISqlDialect.BindsColumnTypes"/>), or <see langword="null"/>.
    /// </param>
    public Statement(string text, StatementParameters<TValues> parameters, IReadOnlyDictionary<string, RelationalTypeMapping>? columns)
    {
        Text = text;
        _parameters =
        [
            .. NamedParameters.In(text).Select(name => new Parameter(
                name,
                parameters.TryGetValue(name, out var read) ? read : throw new InvalidOperationException($"{typeof(TValues).Name} has no parameter '{name}' for: {text}"),
                columns is not null && columns.TryGetValue(name, out var column) ? column : null)),
        ];
    }

    public string Text { get; }

    /// <summary>The names of the parameters, in the order <see cref="Bind"/> adds them.</summary>
    public IEnumerable<string> ParameterNames => _parameters.Select(p => p.Name);

    /// <summary>Adds the parameters the text names to <paramref name="command"/>, their values read from <paramref name="values"/>.</summary>
    public void Bind(DbCommand command, TValues values)
    {
        foreach (var parameter in _parameters)
        {
            command.Parameters.Add(RawSql.CreateParameter(command, parameter.Name, parameter.Read(values), parameter.Column));
        }
    }

    public override string ToString() => Text;

    private sealed record Parameter(string Name, Func<TValues, object?> Read, RelationalTypeMapping? Column);
}
