using System.Collections.Concurrent;
using System.Text.RegularExpressions;

namespace Inbox.Chaos;

/// <summary>
/// Tallies what the stack's processes log as errors: each <c>fail:</c>/<c>crit:</c> line's category and each exception's
/// first line (type and message, inner exceptions too), by process. The processes log at Warning, so this is what went wrong.
/// </summary>
internal sealed partial class ProcessErrors
{
    private const int MaxLength = 220;
    private readonly ConcurrentDictionary<string, int> _counts = new(StringComparer.Ordinal);

    public Action<string> For(string process) => line =>
    {
        var match = ErrorLine().Match(line);
        if (match.Success)
        {
            var text = match.Value.Trim();
            var key = $"{process}: {(text.Length > MaxLength ? text[..MaxLength] + "..." : text)}";
            _counts.AddOrUpdate(key, 1, (_, count) => count + 1);
        }
    };

    public IEnumerable<string> Lines(int most) =>
        _counts.OrderByDescending(pair => pair.Value).ThenBy(pair => pair.Key, StringComparer.Ordinal).Take(most).Select(pair => $"  {pair.Value}x {pair.Key}");

    public int Distinct => _counts.Count;

    // "fail: Category[id]", or an exception's first line such as "Npgsql.NpgsqlException (0x80004005): message" and
    // " ---> System.Net.Sockets.SocketException (111): Connection refused".
    [GeneratedRegex(@"^(?:(?:fail|crit): \S+|\s*(?:---> )?(?:[A-Za-z_]\w*\.)+\w*Exception(?: \([^)]*\))?: .*)$")]
    private static partial Regex ErrorLine();
}
