using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;

namespace Inbox.EntityFrameworkCore.Sql;

/// <summary>Delimited table and column names of one entity, read from the application's model.</summary>
internal sealed class TableNames
{
    private readonly Dictionary<string, string> _columns;
    private readonly IEntityType _entityType;

    private TableNames(string table, Dictionary<string, string> columns, IEntityType entityType)
    {
        Table = table;
        _columns = columns;
        _entityType = entityType;
    }

    public string Table { get; }

    public string this[string property] => _columns[property];

    /// <summary>The model's type mapping of <paramref name="property"/>'s column, which its parameters take.</summary>
    public RelationalTypeMapping Mapping(string property) => _entityType.FindProperty(property)!.GetRelationalTypeMapping();

    public static TableNames For<TEntity>(DbContext db)
    {
        var entityType = db.Model.FindEntityType(typeof(TEntity)) ?? throw new InvalidOperationException(
            $"{db.GetType().Name} has no {typeof(TEntity).Name} entity: call modelBuilder.AddInbox() in its OnModelCreating.");
        var sql = db.GetService<ISqlGenerationHelper>();
        var tableName = entityType.GetTableName()!;
        var store = StoreObjectIdentifier.Table(tableName, entityType.GetSchema());
        var columns = entityType.GetProperties().ToDictionary(
            p => p.Name, p => sql.DelimitIdentifier(p.GetColumnName(store)!), StringComparer.Ordinal);
        return new TableNames(sql.DelimitIdentifier(tableName, entityType.GetSchema()), columns, entityType);
    }
}
