using Microsoft.AspNetCore.Mvc;

namespace Inbox.AspNetCore.Tests.Support;

/// <summary>A synchronous controller action opted in with the attribute: it writes its own 201.</summary>
[ApiController]
[Route("mvc/patients")]
public sealed class PatientsController(TestDbContext db, HandlerProbe probe) : ControllerBase
{
    [HttpPost]
    [Idempotent(Mode = IdempotencyMode.Transactional)]
    public async Task<IActionResult> Create(PatientRequest request)
    {
        probe.Ran();
        var patient = new TestPatient { Id = "pat_" + Guid.NewGuid().ToString("N"), Name = request.Name };
        db.Patients.Add(patient);
        await db.SaveChangesAsync();
        return Created($"/patients/{patient.Id}", new { id = patient.Id, name = patient.Name, request_id = HttpContext.GetInboxRequestId() });
    }
}
