using System.Text.Json.Serialization;

namespace Inbox.Client.Tests.Support;

public sealed record Effects([property: JsonPropertyName("webhooks")] EffectCount Webhooks);
