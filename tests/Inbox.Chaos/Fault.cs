namespace Inbox.Chaos;

/// <summary>
/// One cluster fault, timed on <see cref="LoadClient.Clock"/>: when it took effect (the primary down, the node's
/// shutdown begun) and when the engine was whole again (the standby promoted, the node started).
/// <see cref="TookEffectAt"/> is the wall clock of <see cref="TookEffect"/>, to compare with the database's timestamps.
/// </summary>
internal sealed record Fault(string Name, string Detail, TimeSpan TookEffect, TimeSpan Whole, DateTimeOffset TookEffectAt);
