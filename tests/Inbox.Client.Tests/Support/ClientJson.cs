using System.Text.Json;

namespace Inbox.Client.Tests.Support;

/// <summary>The snake_case JSON of the sample API, as InboxClient writes and reads it by default.</summary>
public static class ClientJson
{
    public static JsonSerializerOptions Options { get; } = new InboxClientOptions().SerializerOptions;
}
