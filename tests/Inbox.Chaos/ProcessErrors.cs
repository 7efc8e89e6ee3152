using System.Collections.Concurrent;
using System.Text.RegularExpressions;

namespace Inbox.Chaos;

/// <summary>
/// Tallies what the stack's processes log as errors, by kind of process: each <c>fail:</c>/<c>crit:</c> entry (its
/// category and the first line of its message) and each exception's first line (type and message, inner exceptions
/// too). The processes log at Warning, so this is what went wrong.
/// </summary>
internal sealed partial class ProcessErrors
{
    private const int MaxLength = 220;
    private readonly ConcurrentDictionary<string, int> _counts = new(StringComparer.Ordinal);

    public int Distinct => _counts.Count;

    /// <summary>A line handler for one process; the console logger prints an entry's message on the line after its category.</summary>
    public Action<string> For(string process)
    {
        string? entry = null;
        return line =>
        {
            if (entry is not null)
            {
                Count(process, $"{entry} {line.Trim()}");
                entry = null;
            }

            if (Entry().IsMatch(line))
            {
                entry = line.Trim();
            }
            else if (ExceptionLine().Match(line) is { Success: true } exception)
            {
                Count(process, exception.Value.Trim());
            }
        };
    }

    public IEnumerable<string> Lines(int most) =>
        _counts.OrderByDescending(pair => pair.Value).ThenBy(pair => pair.Key, StringComparer.Ordinal).Take(most).Select(pair => $"  {pair.Value}x {pair.Key}");

    private void Count(string process, string text) =>
        _counts.AddOrUpdate($"{process}: {(text.Length > MaxLength ? text[..MaxLength] + "..." : text)}", 1, (_, count) => count + 1);

    [GeneratedRegex(@"^(?:fail|crit): \S+$")]
    private static partial Regex Entry();

    // "Npgsql.NpgsqlException (0x80004005): message", " ---> System.Net.Sockets.SocketException (111): Connection refused".
    [GeneratedRegex(@"^\s*(?:---> )?(?:[A-Za-z_]\w*\.)+\w*Exception(?: \([^)]*\))?: .*$")]
    private static partial Regex ExceptionLine();
}
