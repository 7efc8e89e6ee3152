namespace Inbox.Samples.Data;

/// <summary>A patient: the row the synchronous <c>POST /v1/patients</c> writes, in the same transaction as its operation.</summary>
public sealed class PatientRow
{
    public string Id { get; set; } = "";

    /// <summary>The organisation that owns the patient: reads from another organisation find nothing.</summary>
    public string TenantId { get; set; } = "";

    public string FirstName { get; set; } = "";

    public string LastName { get; set; } = "";

    public DateOnly DateOfBirth { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }
}
