namespace Inbox.AspNetCore.Synchronous;

/// <summary>Says that the endpoint's filter pipeline claims a synchronous operation (<see cref="IdempotencyEndpointFilter"/>).</summary>
internal sealed class ClaimFilterMetadata
{
    public static ClaimFilterMetadata Instance { get; } = new();

    private ClaimFilterMetadata()
    {
    }
}
