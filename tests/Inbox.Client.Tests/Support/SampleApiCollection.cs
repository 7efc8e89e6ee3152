namespace Inbox.Client.Tests.Support;

/// <summary>The tests that share one sample API process.</summary>
[CollectionDefinition(Name)]
public sealed class SampleApiCollection : ICollectionFixture<SampleApiFixture>
{
    public const string Name = "The sample API";
}
