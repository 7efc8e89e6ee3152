namespace Inbox.MassTransit.Consuming;

/// <summary>
/// The lease a delivery last held, shared across its retries: the failure filter, outside the retry, adds it, and
/// the leased claim of each attempt records its token there, so recording the failure ends only this delivery's own
/// claim and never one another delivery took over since.
/// </summary>
internal sealed class HeldClaim
{
    /// <summary>The claim token of this delivery's last leased claim; <see langword="null"/> when it held none.</summary>
    public string? Token { get; set; }
}
