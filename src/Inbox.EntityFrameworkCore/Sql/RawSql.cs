using System.Data;
using System.Data.Common;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;

namespace Inbox.EntityFrameworkCore.Sql;

/// <summary>
/// Runs Inbox's statements on the context's own connection and current transaction, straight through ADO.NET:
/// the hot paths (accept, claim, outcome) are a handful of fixed statements, so they skip EF Core's command
/// pipeline and, on PostgreSQL, are prepared once per physical connection (unless Npgsql multiplexes). Placeholders are <c>{0}</c>,
/// <c>{1}</c>, ... as in <c>ExecuteSqlRaw</c>; a <see langword="null"/> value is a null string.
/// </summary>
internal static partial class RawSql
{
    private static readonly ConditionalWeakTable<string, string> Parameterized = [];
    // Keyed by the statement's own string instance, as the SQL classes build each statement once per model.
    private static readonly ConditionalWeakTable<string, RelationalTypeMapping?[]> ParameterColumns = [];
    // Keyed weakly by the connection string instance, so it neither grows with per-tenant strings nor keeps them.
    // CanPrepare runs on open connections, and an open NpgsqlConnection returns its pool's one instance (measured),
    // so this is one entry per pool; before opening, the instance is the caller's and would miss.
    private static readonly ConditionalWeakTable<string, object> Multiplexing = [];

    public static async Task<Reader> ReadAsync(DbContext db, string sql, object?[] parameters, CancellationToken cancellationToken)
    {
        var lease = await OpenAsync(db, cancellationToken).ConfigureAwait(false);
        DbCommand? command = null;
        try
        {
            command = await CreateAsync(db, lease.Connection, sql, parameters, cancellationToken).ConfigureAwait(false);
            var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            return new Reader(reader, command, lease);
        }
        catch
        {
            if (command is not null)
            {
                await command.DisposeAsync().ConfigureAwait(false);
            }

            await lease.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    public static async Task<int> ExecuteAsync(DbContext db, string sql, object?[] parameters, CancellationToken cancellationToken)
    {
        var lease = await OpenAsync(db, cancellationToken).ConfigureAwait(false);
        await using var leaseScope = lease.ConfigureAwait(false);
        var command = await CreateAsync(db, lease.Connection, sql, parameters, cancellationToken).ConfigureAwait(false);
        await using var commandScope = command.ConfigureAwait(false);
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    private static async Task<ConnectionLease> OpenAsync(DbContext db, CancellationToken cancellationToken)
    {
        // EF Core counts opens: a connection it opened for a transaction stays open after our close.
        await db.Database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        return new ConnectionLease(db);
    }

    private static async Task<DbCommand> CreateAsync(DbContext db, DbConnection connection, string sql, object?[] parameters, CancellationToken cancellationToken)
    {
        var command = CreateCommand(connection, sql, parameters);
        command.Transaction = db.Database.CurrentTransaction?.GetDbTransaction();
        if (db.Database.GetCommandTimeout() is { } timeout)
        {
            command.CommandTimeout = timeout;
        }

        if (CanPrepare(connection))
        {
            try
            {
                await command.PrepareAsync(cancellationToken).ConfigureAwait(false);
            }
            catch
            {
                await command.DisposeAsync().ConfigureAwait(false);
                throw;
            }
        }

        return command;
    }

    /// <summary>The command for <paramref name="sql"/> with its parameters bound, neither enlisted nor prepared.</summary>
    internal static DbCommand CreateCommand(DbConnection connection, string sql, object?[] parameters)
    {
        var command = connection.CreateCommand();
        command.CommandText = Parameterized.GetValue(sql, static text => Placeholder().Replace(text, "@p$1"));
        ParameterColumns.TryGetValue(sql, out var columns);
        for (var i = 0; i < parameters.Length; i++)
        {
            command.Parameters.Add(CreateParameter(command, "p" + i, parameters[i], columns is not null && i < columns.Length ? columns[i] : null));
        }

        return command;
    }

    /// <summary>
    /// Declares the columns <paramref name="sql"/>'s string placeholders go to, by position (<see langword="null"/> for
    /// the others): their values are then bound with those columns' type mappings, as EF Core binds them.
    /// </summary>
    public static string WithParameterColumns(string sql, params RelationalTypeMapping?[] columns)
    {
        ParameterColumns.AddOrUpdate(sql, columns);
        return sql;
    }

    private static DbParameter CreateParameter(DbCommand command, string name, object? value, RelationalTypeMapping? column)
    {
        if (column is not null && value is null or string)
        {
            return column.CreateParameter(command, name, value, nullable: true);
        }

        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        Bind(parameter, value);
        return parameter;
    }

    /// <summary>
    /// Whether to prepare Inbox's statements on <paramref name="connection"/>: on PostgreSQL, where Npgsql keeps them
    /// per physical connection (after the first use the statement is neither parsed nor planned again), except in
    /// Npgsql's multiplexing mode, which refuses explicit preparation.
    /// </summary>
    public static bool CanPrepare(DbConnection connection) =>
        connection.GetType().FullName == "Npgsql.NpgsqlConnection"
        && !(bool)Multiplexing.GetValue(connection.ConnectionString, static text =>
            new DbConnectionStringBuilder { ConnectionString = text }.TryGetValue("Multiplexing", out var value)
            && bool.TryParse(value?.ToString(), out var on) && on);

    /// <summary>Gives <paramref name="parameter"/> one of the few value types Inbox's statements take.</summary>
    public static void Bind(DbParameter parameter, object? value) =>
        (parameter.DbType, parameter.Value) = value switch
        {
            null => (DbType.String, (object)DBNull.Value),
            string text => (DbType.String, text),
            byte[] bytes => (DbType.Binary, bytes),
            int number => (DbType.Int32, number),
            DateTimeOffset instant => (DbType.DateTimeOffset, instant),
            var other => throw new ArgumentException($"Inbox passes no parameter of type {other.GetType().Name}.", nameof(value)),
        };

    /// <summary><paramref name="sql"/> with PostgreSQL's positional parameters: <c>{0}</c> becomes <c>$1</c>.</summary>
    public static string Positional(string sql) =>
        Placeholder().Replace(sql, static match => "$" + (int.Parse(match.Groups[1].ValueSpan, CultureInfo.InvariantCulture) + 1));

    [GeneratedRegex(@"\{(\d+)\}")]
    private static partial Regex Placeholder();

    /// <summary>A reader that closes its command and the connection lease with it.</summary>
    internal sealed class Reader(DbDataReader reader, DbCommand command, ConnectionLease lease) : IAsyncDisposable
    {
        public DbDataReader DbDataReader { get; } = reader;

        public async ValueTask DisposeAsync()
        {
            await DbDataReader.DisposeAsync().ConfigureAwait(false);
            await command.DisposeAsync().ConfigureAwait(false);
            await lease.DisposeAsync().ConfigureAwait(false);
        }
    }

    internal sealed class ConnectionLease(DbContext db) : IAsyncDisposable
    {
        public DbConnection Connection { get; } = db.Database.GetDbConnection();

        public async ValueTask DisposeAsync() => await db.Database.CloseConnectionAsync().ConfigureAwait(false);
    }
}
