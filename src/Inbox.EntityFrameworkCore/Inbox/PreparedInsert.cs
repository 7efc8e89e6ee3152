using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;

namespace Inbox.EntityFrameworkCore.Inbox;

/// <summary>
/// The <c>INSERT</c> EF Core would send for one entity type mapped to one table, with PostgreSQL's positional
/// parameters, built once from the model's table mapping. <see langword="null"/> from <see cref="For"/> when an
/// insert of the type is more than its values: a column the database generates (which EF Core leaves out and reads
/// back), a complex property, an insert stored procedure, or more than one table.
/// </summary>
internal sealed class PreparedInsert
{
    private static readonly ConditionalWeakTable<IEntityType, Holder> Cache = new();

    private PreparedInsert(string sql, IColumnMapping[] columns)
    {
        Sql = sql;
        Columns = columns;
    }

    /// <summary>The <c>INSERT</c> statement, its parameters <c>$1</c>, <c>$2</c>, ... in the order of <see cref="Columns"/>.</summary>
    public string Sql { get; }

    /// <summary>The properties in parameter order, with the type mappings that make their parameters.</summary>
    public IColumnMapping[] Columns { get; }

    /// <summary>The insert for <paramref name="entityType"/>, built on first use and kept with the model.</summary>
    public static PreparedInsert? For(IEntityType entityType, ISqlGenerationHelper sql) =>
        Cache.GetValue(entityType, type => new Holder(Build(type, sql))).Insert;

    private static PreparedInsert? Build(IEntityType entityType, ISqlGenerationHelper sql)
    {
        // Complex types' columns, and inserts through a stored procedure, are left to EF Core.
        if (entityType.GetTableMappings().SingleOrDefault() is not { } mapping
            || entityType.GetComplexProperties().Any()
            || entityType.GetInsertStoredProcedure() is not null)
        {
            return null;
        }

        var columns = mapping.ColumnMappings.ToArray();
        foreach (var column in columns)
        {
            var property = column.Property;
            if (property.GetBeforeSaveBehavior() != PropertySaveBehavior.Save
                || (property.ValueGenerated != ValueGenerated.Never && !property.IsPrimaryKey()))
            {
                return null;
            }
        }

        var table = mapping.Table;
        var names = string.Join(", ", columns.Select(c => sql.DelimitIdentifier(c.Column.Name)));
        var values = string.Join(", ", columns.Select((_, i) => "$" + (i + 1)));
        return new PreparedInsert($"INSERT INTO {sql.DelimitIdentifier(table.Name, table.Schema)} ({names}) VALUES ({values})", columns);
    }

    private sealed record Holder(PreparedInsert? Insert);
}
