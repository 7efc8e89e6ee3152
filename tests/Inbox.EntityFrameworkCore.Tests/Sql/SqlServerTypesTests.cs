using System.Data;
using System.Data.Common;
using System.Text.RegularExpressions;
using Inbox.Claims;
using Inbox.EntityFrameworkCore.Model;
using Inbox.EntityFrameworkCore.Sql;
using Inbox.EntityFrameworkCore.Tests.Support;
using Inbox.Keys;
using Inbox.Operations;
using Inbox.Testing;
using Microsoft.Data.SqlClient;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;

namespace Inbox.EntityFrameworkCore.Tests.Sql;

/// <summary>
/// On SQL Server the key, id and tenant columns compare case-sensitively, as on PostgreSQL and SQLite, and every
/// string parameter has its column's type, so no comparison converts the column (which turns seeks into scans).
/// </summary>
public sealed partial class SqlServerTypesTests
{
    private const string BinaryCollation = "Latin1_General_100_BIN2";

    private static readonly (Type Entity, string Column)[] KeyColumns =
    [
        (typeof(InboxOperation), "id"), (typeof(InboxOperation), "tenant_id"), (typeof(InboxOperation), "endpoint"),
        (typeof(InboxOperation), "idempotency_key"), (typeof(InboxEntry), "consumer"), (typeof(InboxEntry), "message_key"),
        (typeof(InboxEntry), "operation_id"), (typeof(InboxEntry), "claim_token"),
    ];

    [Fact]
    public void Sql_server_model_compares_key_id_and_tenant_columns_in_binary()
    {
        using var db = SqlServerContext();

        foreach (var (entity, column) in KeyColumns)
        {
            Assert.True(BinaryCollation == Column(db, entity, column).GetCollation(), $"{column} has collation {Column(db, entity, column).GetCollation() ?? "(none)"}");
        }

        Assert.Null(Column(db, typeof(InboxOperation), "message_type").GetCollation());
    }

    [Theory]
    [InlineData(DatabaseKind.PostgreSql)]
    [InlineData(DatabaseKind.Sqlite)]
    public void Other_providers_get_no_collation(DatabaseKind kind)
    {
        var options = new DbContextOptionsBuilder<StoreDbContext>();
        _ = kind == DatabaseKind.PostgreSql ? options.UseNpgsql("Host=unused") : options.UseSqlite("Data Source=:memory:");
        using var db = new StoreDbContext(options.Options);

        var collated = DesignTimeModel(db).GetEntityTypes().SelectMany(t => t.GetProperties()).Where(p => p.GetCollation() is not null).Select(p => p.Name);
        Assert.Empty(collated);
    }

    [Fact]
    public void Collation_can_be_chosen_or_left_to_the_database()
    {
        using var utf8 = new Utf8CollationContext();
        using var database = new DatabaseCollationContext();

        Assert.Equal("Latin1_General_100_BIN2_UTF8", Column(utf8, typeof(InboxOperation), "idempotency_key").GetCollation());
        Assert.Null(Column(database, typeof(InboxOperation), "idempotency_key").GetCollation());
    }

    [Fact]
    public void Create_script_collates_the_key_columns()
    {
        using var db = SqlServerContext();
        var script = db.Database.GenerateCreateScript();

        foreach (var (_, column) in KeyColumns)
        {
            Assert.Matches($@"\[{column}\] n?varchar\(\d+\) COLLATE {BinaryCollation} ", script);
        }

        Assert.Empty(TransactSql.ParseErrors(script));
    }

    [Fact]
    public void Accept_binds_each_string_as_its_column_type()
    {
        using var db = SqlServerContext();
        using var command = CreateCommand(OperationSql.For(db).InsertOrSelect, new AcceptanceValues(
            "op_1", "org_a", "POST /claims", "key-1", new byte[32], "req_1", 202, "{}", [], "Message", [],
            DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch));

        Assert.Equal((DbType.AnsiString, 40), Type(command, "id"));
        Assert.Equal((DbType.String, OperationScope.MaxTenantLength), Type(command, "tenant"));
        Assert.Equal((DbType.String, OperationScope.MaxEndpointLength), Type(command, "endpoint"));
        Assert.Equal((DbType.AnsiString, IdempotencyKey.MaxLength), Type(command, "idempotencyKey"));
        Assert.Equal((DbType.AnsiString, 40), Type(command, "requestId"));
        Assert.Equal((DbType.String, 4000), Type(command, "responseHeaders"));
        Assert.Equal((DbType.String, 500), Type(command, "messageType"));
    }

    [Fact]
    public void Null_strings_are_bound_as_their_column_type()
    {
        using var db = SqlServerContext();
        using var command = CreateCommand(
            InboxEntrySql.For(db).SucceedOperation, new EntryTransitionValues(null, null, DateTimeOffset.UnixEpoch) { OperationId = "op_1", Result = null });

        Assert.Equal((DbType.AnsiString, 40), Type(command, "operationId"));
        Assert.Equal((DbType.String, 4000), Type(command, "result"));
        Assert.Equal(DBNull.Value, command.Parameters["result"].Value);
    }

    /// <summary>
    /// Every placeholder a statement compares with, or assigns to, a string column: bound as that column's type,
    /// whichever table the column is in.
    /// </summary>
    [Theory]
    [MemberData(nameof(SqlServerStatementTests.Statements), MemberType = typeof(SqlServerStatementTests))]
    public void Every_string_parameter_has_its_column_type(string name, string _)
    {
        using var db = SqlServerContext();
        var statement = StatementNamed(db, name);
        var strings = db.Model.GetEntityTypes().Where(t => t.ClrType == typeof(InboxEntry) || t.ClrType == typeof(InboxOperation))
            .SelectMany(t => t.GetProperties()).Where(p => p.ClrType == typeof(string))
            .GroupBy(p => p.GetColumnName()).ToDictionary(g => g.Key, g => g.Select(Expected).Distinct().Single());
        using var command = CreateCommand(statement);
        var text = statement.ToString()!;

        var compared = Compared().Matches(text).Where(m => strings.ContainsKey(m.Groups["column"].Value)).ToList();
        var bindsStrings = command.Parameters.Cast<DbParameter>().Any(p => p.DbType is DbType.String or DbType.AnsiString);
        Assert.True(compared.Count > 0 || !bindsStrings || !text.Contains("= @", StringComparison.Ordinal) || name.Contains("Delete") || name.Contains("ClaimDue"),
            $"{name}: no string comparisons found");
        foreach (var match in compared)
        {
            var parameter = match.Groups["parameter"].Value;
            Assert.True(strings[match.Groups["column"].Value] == Type(command, parameter),
                $"{name}: @{parameter} goes to {match.Groups["column"].Value} {strings[match.Groups["column"].Value]}, bound as {Type(command, parameter)}");
        }
    }

    /// <summary>
    /// SqlClient answers -1 rows under SET NOCOUNT ON, and SET IMPLICIT_TRANSACTIONS ON leaves an autocommitted
    /// statement in a transaction nobody commits; each statement sets both for its own batch (parameterized batches run
    /// through sp_executesql, which restores the session's settings after it).
    /// </summary>
    [Theory]
    [MemberData(nameof(SqlServerStatementTests.Statements), MemberType = typeof(SqlServerStatementTests))]
    public void Every_statement_counts_rows_and_autocommits_whatever_the_session_sets(string name, string statement)
    {
        Assert.True(statement.StartsWith("SET IMPLICIT_TRANSACTIONS OFF;\nSET NOCOUNT OFF;\n", StringComparison.Ordinal), $"{name} does not: {statement}");
        Assert.Matches(@"@\w", statement);
    }

    /// <summary>How EF Core binds a short value for <paramref name="property"/>: a MAX column takes 4000 (or 8000) up to that length.</summary>
    private static (DbType, int) Expected(IProperty property)
    {
        using var command = new SqlCommand();
        var parameter = property.GetRelationalTypeMapping().CreateParameter(command, "p", "text", nullable: true);
        return (parameter.DbType, parameter.Size);
    }

    private static (DbType, int) Type(DbCommand command, string parameter) =>
        (command.Parameters[parameter].DbType, command.Parameters[parameter].Size);

    private static DbCommand CreateCommand<TValues>(Statement<TValues> statement, TValues values) =>
        RawSql.CreateCommand(new SqlConnection("Server=unused"), statement, values);

    /// <summary>The command for <paramref name="statement"/> with every string parameter "text".</summary>
    private static DbCommand CreateCommand(object statement)
    {
        var at = DateTimeOffset.UnixEpoch;
        return statement switch
        {
            Statement<EntryClaimValues> claim => CreateCommand(claim, new EntryClaimValues(new InboxClaimRequest("text", "text", "text", "text", at, at, at, at, "text"), at)),
            Statement<EntryTransitionValues> transition => CreateCommand(transition, new EntryTransitionValues("text", "text", at)
            {
                ClaimToken = "text", OperationId = "text", Result = "text", ErrorCode = "text", ErrorMessage = "text", RelayAt = at,
            }),
            Statement<AcceptanceValues> acceptance => CreateCommand(acceptance, new AcceptanceValues(
                "text", "text", "text", "text", [], "text", 0, "text", [], "text", [], at, at, at, "text")),
            Statement<LookupValues> lookup => CreateCommand(lookup, new LookupValues("text", "text", at)),
            Statement<RelayClaimValues> relay => CreateCommand(relay, new RelayClaimValues(at, 1, at, [.. Enumerable.Repeat(at, 10)])),
            Statement<ExpiredRowsValues> expired => CreateCommand(expired, new ExpiredRowsValues(at, 1)),
            Statement<ConsoleActionValues> action => CreateCommand(action, new ConsoleActionValues("text", at)
            {
                Id = "text", ErrorCode = "text", Endpoint = "text", RelayAt = at, ExpiredBefore = at, BatchSize = 1,
            }),
            _ => throw new ArgumentException($"No values for {statement.GetType()}", nameof(statement)),
        };
    }

    private static IProperty Column(DbContext db, Type entity, string column) =>
        DesignTimeModel(db).FindEntityType(entity)!.GetProperties().Single(p => p.GetColumnName() == column);

    // Collations are migration metadata, kept only in the design-time model.
    private static IModel DesignTimeModel(DbContext db) => db.GetService<IDesignTimeModel>().Model;

    private static object StatementNamed(DbContext db, string name)
    {
        var operations = OperationSql.For(db);
        if (Regex.Match(name, @"ClaimDue\((\d+)\)") is { Success: true } claimDue)
        {
            return operations.ClaimDue(int.Parse(claimDue.Groups[1].Value));
        }

        if (Regex.Match(name, @"^ConsoleActionSql\.(\w+)\((True|False)\)$") is { Success: true } action)
        {
            var console = ConsoleActionSql.For(db);
            return console.GetType().GetMethod(action.Groups[1].Value)!.Invoke(console, [bool.Parse(action.Groups[2].Value)])!;
        }

        var (type, property) = (name.Split('.')[0], name.Split('.')[1]);
        object sql = type == nameof(OperationSql) ? operations : InboxEntrySql.For(db);
        return sql.GetType().GetProperty(property)!.GetValue(sql)!;
    }

    private static StoreDbContext SqlServerContext() =>
        new(new DbContextOptionsBuilder<StoreDbContext>().UseSqlServer("Server=unused;Database=unused").Options);

    /// <summary>A column compared with or assigned a parameter: <c>[column] = @name</c>, <c>t.[column] &lt;= @name</c>.</summary>
    [GeneratedRegex(@"\[(?<column>\w+)\] (=|<=|<|>|>=|<>) @(?<parameter>\w+)")]
    private static partial Regex Compared();

    private sealed class Utf8CollationContext : DbContext
    {
        protected override void OnConfiguring(DbContextOptionsBuilder optionsBuilder) => optionsBuilder.UseSqlServer("Server=unused");

        protected override void OnModelCreating(ModelBuilder modelBuilder) =>
            modelBuilder.AddInbox(o => o.SqlServerKeyCollation = "Latin1_General_100_BIN2_UTF8");
    }

    private sealed class DatabaseCollationContext : DbContext
    {
        protected override void OnConfiguring(DbContextOptionsBuilder optionsBuilder) => optionsBuilder.UseSqlServer("Server=unused");

        protected override void OnModelCreating(ModelBuilder modelBuilder) => modelBuilder.AddInbox(o => o.SqlServerKeyCollation = null);
    }
}
