namespace Inbox.Client.Tests.Support;

public sealed record EffectCount(int Calls, Dictionary<string, int> ByKey);
