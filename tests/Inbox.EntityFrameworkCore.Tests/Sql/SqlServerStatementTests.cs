using System.Reflection;
using Inbox.EntityFrameworkCore.Model;
using Inbox.EntityFrameworkCore.Sql;
using Inbox.EntityFrameworkCore.Tests.Support;
using Inbox.Testing;
using Microsoft.EntityFrameworkCore;

namespace Inbox.EntityFrameworkCore.Tests.Sql;

/// <summary>
/// Every statement Inbox sends to SQL Server, checked where no SQL Server runs: it parses with SQL Server's own
/// parser, and it names only the tables and columns of the model's SQL Server mapping.
/// </summary>
public sealed class SqlServerStatementTests
{
    public static TheoryData<string, string> Statements()
    {
        using var db = SqlServerContext();
        var data = new TheoryData<string, string>();
        var operations = OperationSql.For(db);
        var relayClaims = new[] { 0, 1, 7 }.Select(steps => ($"OperationSql.ClaimDue({steps})", operations.ClaimDue(steps).Text));
        var console = ConsoleActionSql.For(db);
        var consoleActions = new[] { false, true }.SelectMany(scoped => new[]
        {
            ($"ConsoleActionSql.Redrive({scoped})", console.Redrive(scoped).Text),
            ($"ConsoleActionSql.RedriveGroup({scoped})", console.RedriveGroup(scoped).Text),
            ($"ConsoleActionSql.ReleaseSynchronous({scoped})", console.ReleaseSynchronous(scoped).Text),
            ($"ConsoleActionSql.RepublishExpiredEntries({scoped})", console.RepublishExpiredEntries(scoped).Text),
        });
        foreach (var (name, text) in StatementsOf(InboxEntrySql.For(db)).Concat(StatementsOf(operations)).Concat(relayClaims).Concat(consoleActions))
        {
            data.Add(name, text);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Statements))]
    public void Statement_parses_as_t_sql(string name, string statement)
    {
        Assert.True(TransactSql.ParseErrors(statement) is [], $"{name}: {string.Join("; ", TransactSql.ParseErrors(statement))}\n{statement}");
    }

    [Theory]
    [MemberData(nameof(Statements))]
    public void Statement_names_only_tables_and_columns_of_the_model(string name, string statement)
    {
        using var db = SqlServerContext();
        var tables = new[] { typeof(InboxEntry), typeof(InboxOperation) }.Select(t => db.Model.FindEntityType(t)!).ToArray();
        var (namedTables, namedColumns) = TransactSql.Names(statement);

        Assert.Subset(tables.Select(t => t.GetTableName()!).ToHashSet(), namedTables.Where(t => t != "t").ToHashSet());
        var columns = tables.SelectMany(t => t.GetProperties()).Select(p => p.GetColumnName()).ToHashSet();
        Assert.True(namedColumns.IsSubsetOf(columns), $"{name} names {string.Join(", ", namedColumns.Except(columns))}, not in the model");
    }

    [Fact]
    public void Every_statement_is_checked_and_the_names_are_read()
    {
        var statements = Statements().Select(row => (string)row[1]).ToList();
        Assert.True(statements.Count >= 20, $"only {statements.Count} statements found");
        var columns = statements.SelectMany(s => TransactSql.Names(s).Columns).ToHashSet();
        Assert.Superset(new HashSet<string> { "claim_token", "lease_expires_at", "relay_at", "idempotency_key" }, columns);
        Assert.NotEmpty(TransactSql.ParseErrors("UPDATE [inbox_entries] SET [status] = WHERE [consumer] = @p0"));
    }

    [Fact]
    public void Create_script_of_the_model_parses_as_t_sql()
    {
        using var db = SqlServerContext();
        var script = db.Database.GenerateCreateScript();

        Assert.Contains("CREATE TABLE [inbox_entries]", script);
        Assert.Empty(TransactSql.ParseErrors(script));
    }

    private static StoreDbContext SqlServerContext() =>
        new(new DbContextOptionsBuilder<StoreDbContext>().UseSqlServer("Server=unused;Database=unused").Options);

    /// <summary>Each statement a SQL class exposes as a property.</summary>
    private static IEnumerable<(string Name, string Text)> StatementsOf(object sql) =>
        sql.GetType().GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.PropertyType.IsGenericType && p.PropertyType.GetGenericTypeDefinition() == typeof(Statement<>))
            .Select(p => (Name: $"{sql.GetType().Name}.{p.Name}", Text: p.GetValue(sql)?.ToString()))
            .Where(s => s.Text is not null)
            .Select(s => (s.Name, s.Text!));
}
