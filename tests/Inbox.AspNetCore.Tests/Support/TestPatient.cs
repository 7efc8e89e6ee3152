namespace Inbox.AspNetCore.Tests.Support;

/// <summary>A row a synchronous handler writes through the application's context.</summary>
public sealed class TestPatient
{
    public string Id { get; set; } = string.Empty;

    public string Name { get; set; } = string.Empty;
}
