namespace Inbox.EntityFrameworkCore.Sql;

/// <summary>
/// The parameters statements may take from a record of type <typeparamref name="TValues"/>: each name (written
/// <c>@name</c> in the statements) with the delegate that reads its value. Declared once per record type.
/// </summary>
internal sealed class StatementParameters<TValues>() : Dictionary<string, Func<TValues, object?>>(StringComparer.Ordinal);
