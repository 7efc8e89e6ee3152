using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Inbox.EntityFrameworkCore.Model;

/// <summary>
/// The collation of the columns that identify an operation or an inbox entry. PostgreSQL and SQLite compare text
/// case-sensitively; SQL Server's default collations do not, which would make <c>Order-1</c> and <c>order-1</c> one
/// key and <c>Acme</c> and <c>acme</c> one tenant. So on SQL Server these columns get a binary collation.
/// </summary>
internal static class KeyColumnCollation
{
    // The model builder does not name its provider, but SQL Server's conventions put this annotation on every model
    // they build before OnModelCreating runs, and no other provider's do. A collation set for every provider would
    // not do: SQL Server's collation names exist neither in PostgreSQL nor in SQLite.
    private const string SqlServerModelAnnotation = "SqlServer:ValueGenerationStrategy";

    /// <summary>The key columns' collation for the model <paramref name="modelBuilder"/> builds; <see langword="null"/> for the database's default.</summary>
    public static string? For(ModelBuilder modelBuilder, InboxModelOptions options) =>
        modelBuilder.Model.FindAnnotation(SqlServerModelAnnotation) is null ? null : options.SqlServerKeyCollation;

    /// <summary>Gives <paramref name="property"/> <paramref name="collation"/>, if there is one.</summary>
    public static PropertyBuilder<TProperty> UseKeyCollation<TProperty>(this PropertyBuilder<TProperty> property, string? collation) =>
        collation is null ? property : property.UseCollation(collation);
}
