using Microsoft.EntityFrameworkCore.Storage;

namespace Inbox.EntityFrameworkCore.Sql;

/// <summary>
/// Inbox's statements as SQL Server gets them: each parameter typed as its column (an NVARCHAR parameter against a
/// VARCHAR column converts the column, and a seek becomes a scan), and each batch independent of the session's SET
/// options.
/// </summary>
internal static class SqlServerStatements
{
    /// <summary>
    /// Under SET NOCOUNT ON, SqlClient reports -1 rows affected, and the stores read those counts; under SET
    /// IMPLICIT_TRANSACTIONS ON, an autocommitted claim or acceptance would open a transaction that nobody commits.
    /// Inbox's commands have parameters, so SqlClient runs them through sp_executesql, which restores the session's
    /// own options when the batch ends (as EF Core's update batches do, with their SET NOCOUNT ON).
    /// </summary>
    public const string SessionOptions = "SET IMPLICIT_TRANSACTIONS OFF;\nSET NOCOUNT OFF;\n";

    /// <summary>
    /// <paramref name="sql"/> as sent to <paramref name="provider"/>: on SQL Server with <see cref="SessionOptions"/>
    /// first and its string parameters bound as <paramref name="parameterColumns"/> (by position); elsewhere unchanged.
    /// </summary>
    public static string For(DatabaseProvider provider, string sql, params RelationalTypeMapping?[] parameterColumns) =>
        provider == DatabaseProvider.SqlServer ? RawSql.WithParameterColumns(SessionOptions + sql, parameterColumns) : sql;
}
