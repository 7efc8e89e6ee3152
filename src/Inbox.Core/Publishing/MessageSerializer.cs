using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Inbox.Publishing;

/// <summary>
/// Serializes an operation's message for storage, and back for the relay, with the web defaults of
/// System.Text.Json (camelCase names, case-insensitive reads).
/// </summary>
public static class MessageSerializer
{
    /// <summary>The options used both ways.</summary>
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web)
    {
        // The reflection resolver the serializer would pick anyway, named so the round-trip check can read its contracts.
        TypeInfoResolver = new DefaultJsonTypeInfoResolver(),
    };

    private static readonly ConcurrentDictionary<Type, MessageRoundTripException?> RoundTripProblems = new();

    /// <summary>Serializes <paramref name="message"/> as <paramref name="type"/>.</summary>
    public static byte[] Serialize(object message, Type type) => JsonSerializer.SerializeToUtf8Bytes(message, type, Options);

    /// <summary>Reads a stored message back as <paramref name="type"/>.</summary>
    public static object Deserialize(ReadOnlySpan<byte> json, Type type) =>
        JsonSerializer.Deserialize(json, type, Options)
        ?? throw new JsonException($"The stored message of type {type.FullName} is null.");

    /// <summary>
    /// What keeps <paramref name="type"/> from making the round trip (serialize, store, deserialize, publish again),
    /// or <see langword="null"/> when every member is written and read back. Checked once per type.
    /// </summary>
    public static MessageRoundTripException? CheckRoundTrip(Type type)
    {
        ArgumentNullException.ThrowIfNull(type);
        return RoundTripProblems.GetOrAdd(type, static t => MessageRoundTripCheck.Find(t, Options));
    }

    /// <summary>Throws when <paramref name="type"/> cannot make the round trip (see <see cref="CheckRoundTrip"/>).</summary>
    /// <exception cref="MessageRoundTripException"><paramref name="type"/> cannot be stored faithfully; the message names the member.</exception>
    public static void EnsureRoundTrips(Type type)
    {
        if (CheckRoundTrip(type) is { } problem)
        {
            throw new MessageRoundTripException(problem.MessageType, problem.Member, problem.Reason);
        }
    }
}
