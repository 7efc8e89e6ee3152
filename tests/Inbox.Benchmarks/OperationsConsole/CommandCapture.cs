using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Npgsql;

namespace Inbox.Benchmarks.OperationsConsole;

/// <summary>
/// Records the commands EF Core sends while armed, with copies of their parameters, so that each of the console's
/// queries can be explained exactly as the store sent it.
/// </summary>
public sealed class CommandCapture : DbCommandInterceptor
{
    private List<(string Sql, NpgsqlParameter[] Parameters)>? _commands;

    /// <summary>Starts recording; <see cref="Stop"/> returns what was sent since.</summary>
    public void Start() => _commands = [];

    public IReadOnlyList<(string Sql, NpgsqlParameter[] Parameters)> Stop()
    {
        var commands = _commands ?? [];
        _commands = null;
        return commands;
    }

    public override ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(
        DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
    {
        _commands?.Add((command.CommandText, [.. command.Parameters.Cast<NpgsqlParameter>().Select(p => p.Clone())]));
        return base.ReaderExecutingAsync(command, eventData, result, cancellationToken);
    }
}
