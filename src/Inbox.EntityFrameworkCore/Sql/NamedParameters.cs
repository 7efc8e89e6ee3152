using System.Text.RegularExpressions;

namespace Inbox.EntityFrameworkCore.Sql;

/// <summary>The <c>@name</c> parameters a statement refers to (not SQL Server's <c>@@</c> functions).</summary>
internal static partial class NamedParameters
{
    /// <summary>Each parameter name in <paramref name="text"/> once, in order of first appearance.</summary>
    public static IEnumerable<string> In(string text) => Named().Matches(text).Select(m => m.Groups[1].Value).Distinct(StringComparer.Ordinal);

    [GeneratedRegex(@"(?<![@\w])@([A-Za-z_]\w*)")]
    private static partial Regex Named();
}
