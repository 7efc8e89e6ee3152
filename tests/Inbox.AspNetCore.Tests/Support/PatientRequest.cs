using System.ComponentModel.DataAnnotations;

namespace Inbox.AspNetCore.Tests.Support;

public sealed class PatientRequest
{
    [Required]
    [MinLength(1)]
    public string Name { get; set; } = string.Empty;
}
