using System.Globalization;
using System.Security.Claims;
using Inbox.AspNetCore;
using Inbox.Operations;
using Inbox.Samples.Data;
using Microsoft.EntityFrameworkCore;

namespace Inbox.Samples.Api.Endpoints;

/// <summary>
/// <c>POST /v1/patients</c>, <c>PATCH /v1/patients/{id}</c> and <c>GET /v1/patients/{id}</c>: synchronous endpoints in
/// transactional mode. The patient row, the operation's claim and the stored response commit in one transaction.
/// </summary>
public static class PatientsEndpoint
{
    public sealed record PatientRequest(string? FirstName, string? LastName, string? DateOfBirth);

    public static void ValidateNew(List<FieldError> errors, PatientRequest request)
    {
        Validate.Text(errors, "first_name", request.FirstName, maxLength: 100);
        Validate.Text(errors, "last_name", request.LastName, maxLength: 100);
        BirthDate(errors, request.DateOfBirth);
    }

    public static void ValidateChange(List<FieldError> errors, PatientRequest request)
    {
        if (request.FirstName is not null)
        {
            Validate.Text(errors, "first_name", request.FirstName, maxLength: 100);
        }

        if (request.LastName is not null)
        {
            Validate.Text(errors, "last_name", request.LastName, maxLength: 100);
        }

        if (request.DateOfBirth is not null)
        {
            BirthDate(errors, request.DateOfBirth);
        }
    }

    public static async Task<IResult> CreateAsync(HttpContext context, SamplesDbContext db, TimeProvider time)
    {
        var request = ValidatedBody.Get<PatientRequest>(context);
        var now = time.GetUtcNow();
        var patient = new PatientRow
        {
            Id = RandomIds.New("pat_"),
            TenantId = Tenant(context),
            FirstName = request.FirstName!,
            LastName = request.LastName!,
            DateOfBirth = ParseDate(request.DateOfBirth!),
            CreatedAt = now,
            UpdatedAt = now,
        };
        db.Patients.Add(patient);
        await db.SaveChangesAsync(context.RequestAborted);
        return Results.Json(Envelope(context, patient), SampleJson.Options, statusCode: StatusCodes.Status201Created)
            .WithLocation($"/v1/patients/{patient.Id}");
    }

    public static async Task<IResult> UpdateAsync(string id, HttpContext context, SamplesDbContext db, TimeProvider time)
    {
        var request = ValidatedBody.Get<PatientRequest>(context);
        var patient = await FindAsync(db, context, id);
        if (patient is null)
        {
            return NotFound(context);
        }

        patient.FirstName = request.FirstName ?? patient.FirstName;
        patient.LastName = request.LastName ?? patient.LastName;
        patient.DateOfBirth = request.DateOfBirth is { } date ? ParseDate(date) : patient.DateOfBirth;
        patient.UpdatedAt = time.GetUtcNow();
        await db.SaveChangesAsync(context.RequestAborted);
        return Results.Json(Envelope(context, patient), SampleJson.Options);
    }

    public static async Task<IResult> ReadAsync(string id, HttpContext context, SamplesDbContext db) =>
        await FindAsync(db, context, id) is { } patient
            ? Results.Json(Envelope(context, patient), SampleJson.Options)
            : NotFound(context);

    private static Task<PatientRow?> FindAsync(SamplesDbContext db, HttpContext context, string id)
    {
        var tenant = Tenant(context);
        return db.Patients.SingleOrDefaultAsync(p => p.Id == id && p.TenantId == tenant, context.RequestAborted);
    }

    private static IResult NotFound(HttpContext context) =>
        SampleErrors.Write(context, StatusCodes.Status404NotFound, "patient_not_found", "No patient with this id.");

    private static object Envelope(HttpContext context, PatientRow patient) => new
    {
        data = new
        {
            id = patient.Id,
            first_name = patient.FirstName,
            last_name = patient.LastName,
            date_of_birth = patient.DateOfBirth.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        },
        meta = new { request_id = context.GetInboxRequestId() },
        error = (object?)null,
    };

    private static string Tenant(HttpContext context) => context.User.FindFirstValue("tenant_id") ?? "";

    private static void BirthDate(List<FieldError> errors, string? value)
    {
        if (value is null || !DateOnly.TryParseExact(value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out _))
        {
            errors.Add(new FieldError("date_of_birth", "is required: a date as YYYY-MM-DD"));
        }
    }

    private static DateOnly ParseDate(string value) => DateOnly.ParseExact(value, "yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static IResult WithLocation(this IResult result, string location) => new LocatedResult(result, location);

    private sealed class LocatedResult(IResult inner, string location) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext)
        {
            httpContext.Response.Headers.Location = location;
            return inner.ExecuteAsync(httpContext);
        }
    }
}
