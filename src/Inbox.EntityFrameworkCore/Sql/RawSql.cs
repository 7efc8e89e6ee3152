using System.Data;
using System.Data.Common;
using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;

namespace Inbox.EntityFrameworkCore.Sql;

/// <summary>
/// Runs Inbox's statements on the context's own connection and current transaction, straight through ADO.NET:
/// the hot paths (accept, claim, outcome) are a handful of fixed statements, so they skip EF Core's command
/// pipeline and, on PostgreSQL, are prepared once per physical connection (unless Npgsql multiplexes). Parameters are
/// named (<c>@name</c>) and bound from a record by each <see cref="Statement{TValues}"/> (Npgsql rewrites them to
/// positional ones itself); a <see langword="null"/> value is a null string.
/// </summary>
internal static class RawSql
{
    // Keyed weakly by the connection string instance, so it neither grows with per-tenant strings nor keeps them.
    // CanPrepare runs on open connections, and an open NpgsqlConnection returns its pool's one instance (measured),
    // so this is one entry per pool; before opening, the instance is the caller's and would miss.
    private static readonly ConditionalWeakTable<string, object> Multiplexing = [];

    public static async Task<Reader> ReadAsync<TValues>(DbContext db, Statement<TValues> statement, TValues values, CancellationToken cancellationToken)
    {
        var lease = await OpenAsync(db, cancellationToken).ConfigureAwait(false);
        DbCommand? command = null;
        try
        {
            command = await CreateAsync(db, CreateCommand(lease.Connection, statement, values), cancellationToken).ConfigureAwait(false);
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

    public static async Task<int> ExecuteAsync<TValues>(DbContext db, Statement<TValues> statement, TValues values, CancellationToken cancellationToken)
    {
        var lease = await OpenAsync(db, cancellationToken).ConfigureAwait(false);
        await using var leaseScope = lease.ConfigureAwait(false);
        var command = await CreateAsync(db, CreateCommand(lease.Connection, statement, values), cancellationToken).ConfigureAwait(false);
        await using var commandScope = command.ConfigureAwait(false);
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    private static async Task<ConnectionLease> OpenAsync(DbContext db, CancellationToken cancellationToken)
    {
        // EF Core counts opens: a connection it opened for a transaction stays open after our close.
        await db.Database.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        return new ConnectionLease(db);
    }

    /// <summary><paramref name="command"/> enlisted in the context's transaction, and prepared where the connection allows it.</summary>
    private static async Task<DbCommand> CreateAsync(DbContext db, DbCommand command, CancellationToken cancellationToken)
    {
        var connection = command.Connection!;
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

    /// <summary>The command for <paramref name="statement"/> with its parameters bound from <paramref name="values"/>, neither enlisted nor prepared.</summary>
    internal static DbCommand CreateCommand<TValues>(DbConnection connection, Statement<TValues> statement, TValues values)
    {
        var command = connection.CreateCommand();
        command.CommandText = statement.Text;
        statement.Bind(command, values);
        return command;
    }

    /// <summary>
    /// The parameter <paramref name="name"/>: a string (or null) bound with <paramref name="column"/>'s type mapping
    /// when there is one, as EF Core binds it; anything else by <see cref="Bind"/>.
    /// </summary>
    internal static DbParameter CreateParameter(DbCommand command, string name, object? value, RelationalTypeMapping? column)
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
            // The group commit's columns: the provider infers the array's type, which the statement casts to.
            Array column => (DbType.Object, column),
            var other => throw new ArgumentException($"Inbox passes no parameter of type {other.GetType().Name}.", nameof(value)),
        };

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
