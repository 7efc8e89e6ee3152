namespace Inbox.MassTransit.Tests.Support;

/// <summary>The transient failure <see cref="FlakyCommit"/> throws.</summary>
public sealed class FlakyCommitException() : Exception("The connection dropped before the commit.");
