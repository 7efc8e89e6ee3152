using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Storage;

namespace Inbox.EntityFrameworkCore.Sql;

/// <summary>
/// Runs Inbox's statements through EF Core's own command pipeline, so they join the context's connection and
/// transaction, use the provider's parameter types, and reach the application's command interceptors and logs.
/// Placeholders are <c>{0}</c>, <c>{1}</c>, ... as in <c>ExecuteSqlRaw</c>.
/// </summary>
internal static class RawSql
{
    public static async Task<RelationalDataReader> ReadAsync(
        DbContext db, string sql, object?[] parameters, CancellationToken cancellationToken)
    {
        var (command, parameterObject) = Build(db, sql, parameters, CommandSource.FromSqlQuery);
        return await command.RelationalCommand.ExecuteReaderAsync(parameterObject, cancellationToken).ConfigureAwait(false);
    }

    public static async Task<int> ExecuteAsync(
        DbContext db, string sql, object?[] parameters, CancellationToken cancellationToken)
    {
        var (command, parameterObject) = Build(db, sql, parameters, CommandSource.ExecuteSqlRaw);
        return await command.RelationalCommand.ExecuteNonQueryAsync(parameterObject, cancellationToken).ConfigureAwait(false);
    }

    private static (RawSqlCommand Command, RelationalCommandParameterObject Parameters) Build(
        DbContext db, string sql, object?[] parameters, CommandSource source)
    {
        var command = db.GetService<IRawSqlCommandBuilder>().Build(sql, parameters!);
        var parameterObject = new RelationalCommandParameterObject(
            db.GetService<IRelationalConnection>(),
            command.ParameterValues,
            readerColumns: null,
            db,
            db.GetService<IRelationalCommandDiagnosticsLogger>(),
            source);
        return (command, parameterObject);
    }
}
