namespace Inbox.Samples.Data;

/// <summary>A submitted claim: the transactional effect of a claim operation.</summary>
public sealed class ClaimRow
{
    public string Id { get; set; } = "";

    /// <summary>The operation that submitted it. Not unique on purpose: the chaos run counts rows per operation.</summary>
    public string? OperationId { get; set; }

    public string PatientId { get; set; } = "";

    public string PayerId { get; set; } = "";

    public long AmountCents { get; set; }

    public string ServiceCodes { get; set; } = "";

    public DateTimeOffset SubmittedAt { get; set; }
}
