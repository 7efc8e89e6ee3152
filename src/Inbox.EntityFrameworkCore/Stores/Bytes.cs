using System.Runtime.InteropServices;

namespace Inbox.EntityFrameworkCore.Stores;

internal static class Bytes
{
    /// <summary>The array behind <paramref name="memory"/> when it spans all of one, else a copy: providers bind arrays.</summary>
    public static byte[] AsArray(ReadOnlyMemory<byte> memory) =>
        MemoryMarshal.TryGetArray(memory, out var segment) && segment.Offset == 0 && segment.Count == segment.Array!.Length
            ? segment.Array
            : memory.ToArray();
}
