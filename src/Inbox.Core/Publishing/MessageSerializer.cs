using System.Text.Json;

namespace Inbox.Publishing;

/// <summary>
/// Serializes an operation's message for storage, and back for the relay, with the web defaults of
/// System.Text.Json (camelCase names, case-insensitive reads).
/// </summary>
public static class MessageSerializer
{
    /// <summary>The options used both ways.</summary>
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web);

    /// <summary>Serializes <paramref name="message"/> as <paramref name="type"/>.</summary>
    public static byte[] Serialize(object message, Type type) => JsonSerializer.SerializeToUtf8Bytes(message, type, Options);

    /// <summary>Reads a stored message back as <paramref name="type"/>.</summary>
    public static object Deserialize(ReadOnlySpan<byte> json, Type type) =>
        JsonSerializer.Deserialize(json, type, Options)
        ?? throw new JsonException($"The stored message of type {type.FullName} is null.");
}
