using System.Collections.Concurrent;

namespace Inbox.Publishing;

/// <summary>
/// Names message types as stored with an operation (<c>Namespace.Type, Assembly</c>, no version) and finds the
/// type again when the relay republishes.
/// </summary>
public static class MessageTypeNames
{
    private static readonly ConcurrentDictionary<Type, string> Names = new();
    private static readonly ConcurrentDictionary<string, Type?> Types = new(StringComparer.Ordinal);

    /// <summary>The stored name of <paramref name="type"/>.</summary>
    public static string Of(Type type) =>
        Names.GetOrAdd(type, static t => $"{t.FullName}, {t.Assembly.GetName().Name}");

    /// <summary>The type a stored name stands for, or <see langword="null"/> when it cannot be loaded.</summary>
    public static Type? Resolve(string name) =>
        Types.GetOrAdd(name, static n => Type.GetType(n, throwOnError: false));
}
