using System.Collections.Concurrent;

namespace Inbox.Samples.Hosting.Simulator;

/// <summary>Every call the simulator received, per kind of effect and per downstream key.</summary>
public sealed class EffectLedger
{
    private readonly ConcurrentDictionary<string, ConcurrentDictionary<string, int>> _byKind = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, int> _calls = new(StringComparer.Ordinal);

    /// <summary>Records a call; returns how many calls this key has had, this one included.</summary>
    public int Record(string kind, string key)
    {
        _calls.AddOrUpdate(kind, 1, static (_, n) => n + 1);
        return _byKind.GetOrAdd(kind, static _ => new(StringComparer.Ordinal)).AddOrUpdate(key, 1, static (_, n) => n + 1);
    }

    public object Snapshot(IEnumerable<string> kinds) => kinds.ToDictionary(
        kind => kind,
        kind =>
        {
            var byKey = _byKind.TryGetValue(kind, out var keys) ? keys.ToDictionary(k => k.Key, k => k.Value) : [];
            return (object)new { calls = _calls.GetValueOrDefault(kind), distinct_keys = byKey.Count, by_key = byKey };
        });

    public void Clear()
    {
        _byKind.Clear();
        _calls.Clear();
    }
}
